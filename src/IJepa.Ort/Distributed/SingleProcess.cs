// The world of one: every collective is the identity. What the trainer uses without an MPI environment.
using IJepa.Ort.Runtime;

namespace IJepa.Ort.Distributed;

public sealed class SingleProcess : ICommunicator
{
    public int Rank => 0;
    public int Size => 1;
    public int LocalRank => 0;
    public string Kind => "single";

    public void AverageInPlace(NativeBuffer<float> buffer) { }
    public void SumInPlace(Span<double> values) { }
    public void Broadcast(Span<byte> data) { }
    public void Barrier() { }
    public void Abort(int exitCode) => Environment.Exit(exitCode);
    public void Dispose() { }
}
