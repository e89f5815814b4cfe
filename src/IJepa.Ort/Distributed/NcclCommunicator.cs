// Gradient averaging with NCCL on device buffers: an in-place ncclAllReduce(ncclAvg) of the flat device gradient
// buffer; the unique id travels over MPI. Scalars, broadcasts and barriers go through the host communicator beneath.
using IJepa.Ort.Runtime;

namespace IJepa.Ort.Distributed;

public sealed class NcclCommunicator : ICommunicator
{
    private readonly ICommunicator _host;
    private readonly NcclLibrary _nccl;
    private IntPtr _comm;

    private NcclCommunicator(ICommunicator host, NcclLibrary nccl, int device)
    {
        _host = host;
        _nccl = nccl;
        CudaRuntime.SetDevice(device);
        var id = host.Rank == 0 ? nccl.UniqueId() : default;
        id = host.Broadcast(id);
        _comm = nccl.InitRank(host.Size, id, host.Rank);
    }

    /// <summary>NCCL over the ranks of <paramref name="host"/> on CUDA device <paramref name="device"/>, or null (and why) when NCCL is missing.</summary>
    public static NcclCommunicator? TryCreate(ICommunicator host, int device, out string why)
    {
        var nccl = NcclLibrary.TryLoad(out why);
        // Every rank must take the same path: NCCL counts only if it loaded everywhere.
        if (host.Any(nccl is null))
        {
            if (nccl is not null) why = "libnccl.so.2 is missing on another rank";
            return null;
        }
        return new NcclCommunicator(host, nccl!, device);
    }

    public int Rank => _host.Rank;
    public int Size => _host.Size;
    public int LocalRank => _host.LocalRank;
    public string Kind => "nccl";

    public void AverageInPlace(NativeBuffer<float> buffer)
    {
        if (buffer.Memory.IsHost)
        {
            _host.AverageInPlace(buffer);
            return;
        }
        foreach (var (offset, count) in buffer.Slices(MpiCommunicator.MaxCount))
            _nccl.AllReduceAvg(_comm, buffer.Pointer + (nint)(offset * sizeof(float)), count);
        CudaRuntime.Synchronize();   // NCCL ran on the default stream; the next ORT run must see its result
    }

    public void SumInPlace(Span<double> values) => _host.SumInPlace(values);
    public void Broadcast(Span<byte> data) => _host.Broadcast(data);
    public void Barrier() => _host.Barrier();
    public void Abort(int exitCode) => _host.Abort(exitCode);

    public void Dispose()
    {
        if (_comm != 0) _nccl.Destroy(_comm);
        _comm = 0;
        _host.Dispose();
    }
}
