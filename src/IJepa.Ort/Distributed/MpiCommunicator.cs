// Gradient averaging over Open MPI on host buffers: one in-place MPI_Allreduce of the flat gradient buffer per step
// (device buffers are staged through the host: Debian's Open MPI is not CUDA-aware).
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using IJepa.Ort.Runtime;

namespace IJepa.Ort.Distributed;

public sealed unsafe class MpiCommunicator : ICommunicator
{
    // MPI counts are ints: larger buffers go in slices of this many elements.
    internal const int MaxCount = 1 << 30;

    private readonly MpiLibrary _mpi;
    private NativeBuffer<float>? _staging;
    private bool _disposed;

    private MpiCommunicator(MpiLibrary mpi)
    {
        _mpi = mpi;
        Rank = mpi.Rank();
        Size = mpi.Size();
        LocalRank = MpiEnvironment.LocalRank ?? 0;
    }

    /// <summary>Joins the job mpirun started: loads libmpi.so.40 and initialises MPI (with transport defaults that suit .NET).</summary>
    public static MpiCommunicator Start()
    {
        MpiEnvironment.SetTransportDefaults();
        var mpi = MpiLibrary.Load();
        mpi.Init();
        return new MpiCommunicator(mpi);
    }

    public int Rank { get; }
    public int Size { get; }
    public int LocalRank { get; }
    public string Kind => "mpi";

    public void AverageInPlace(NativeBuffer<float> buffer)
    {
        var host = buffer;
        if (!buffer.Memory.IsHost)
        {
            if (_staging?.Length != buffer.Length)
            {
                _staging?.Dispose();
                _staging = new NativeBuffer<float>(buffer.Length);
            }
            host = _staging;
            host.CopyFrom(buffer);
        }
        foreach (var (offset, count) in host.Slices(MaxCount))
        {
            _mpi.AllreduceSum(host.Pointer + (nint)(offset * sizeof(float)), count, _mpi.Float);
            var slice = host.Slice(offset, count);
            TensorPrimitives.Multiply(slice, 1f / Size, slice);
        }
        if (!ReferenceEquals(host, buffer)) buffer.CopyFrom(host);
    }

    public void SumInPlace(Span<double> values)
    {
        fixed (double* p = values) _mpi.AllreduceSum((IntPtr)p, values.Length, _mpi.Double);
    }

    public void Broadcast(Span<byte> data)
    {
        fixed (byte* p = data)
            for (int offset = 0; offset < data.Length; offset += MaxCount)
                _mpi.Bcast((IntPtr)(p + offset), Math.Min(MaxCount, data.Length - offset), _mpi.Byte);
    }

    public void Barrier() => _mpi.Barrier();

    public void Abort(int exitCode)
    {
        Console.Out.Flush();
        Console.Error.Flush();
        _mpi.Abort(exitCode);
        Environment.Exit(exitCode);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _staging?.Dispose();
        _mpi.Shutdown();
    }
}
