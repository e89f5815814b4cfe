// The ranks of a data-parallel job and the collectives the trainer needs: average the flat gradient buffer, sum a few
// scalars, broadcast rank 0's state, wait for each other.
using IJepa.Ort.Runtime;

namespace IJepa.Ort.Distributed;

public interface ICommunicator : IDisposable
{
    /// <summary>This process's rank in [0, Size).</summary>
    int Rank { get; }

    /// <summary>Processes in the job (1: a plain single process).</summary>
    int Size { get; }

    /// <summary>This process's rank among those on its machine: it picks the GPU.</summary>
    int LocalRank { get; }

    /// <summary>"single", "mpi" or "nccl": what averages the gradients.</summary>
    string Kind { get; }

    /// <summary>Replaces every element of <paramref name="buffer"/> (host or device memory) by its mean over the ranks.</summary>
    void AverageInPlace(NativeBuffer<float> buffer);

    /// <summary>Replaces each value by its sum over the ranks (host memory).</summary>
    void SumInPlace(Span<double> values);

    /// <summary>Gives every rank rank 0's <paramref name="data"/> (host memory).</summary>
    void Broadcast(Span<byte> data);

    void Barrier();

    /// <summary>Stops every rank of the job at once with <paramref name="exitCode"/> (after an error on this rank); does not return.</summary>
    void Abort(int exitCode);
}
