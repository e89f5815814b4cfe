// NCCL's C API through libnccl.so.2, found at run time (NCCL ships with PyTorch's nvidia-nccl wheels, not with .NET):
// the library path in IJEPA_NCCL_LIBRARY, else the loader's search (LD_LIBRARY_PATH).
using System.Runtime.InteropServices;
using IJepa.Ort.Errors;

namespace IJepa.Ort.Distributed;

/// <summary>ncclUniqueId: 128 opaque bytes that rank 0 makes and every rank needs (sent over MPI).</summary>
[StructLayout(LayoutKind.Sequential, Size = 128)]
internal struct NcclUniqueId
{
    private long _first;
}

internal sealed unsafe class NcclLibrary
{
    public const string PathVariable = "IJEPA_NCCL_LIBRARY";
    public const int Float32 = 7;   // ncclFloat32
    public const int Avg = 4;       // ncclAvg (NCCL ≥ 2.10)

    private readonly delegate* unmanaged<NcclUniqueId*, int> _getUniqueId;
    private readonly delegate* unmanaged<IntPtr*, int, NcclUniqueId, int, int> _commInitRank;
    private readonly delegate* unmanaged<IntPtr, IntPtr, nuint, int, int, IntPtr, IntPtr, int> _allReduce;
    private readonly delegate* unmanaged<IntPtr, int> _commDestroy;
    private readonly delegate* unmanaged<int, IntPtr> _getErrorString;

    private NcclLibrary(IntPtr lib)
    {
        IntPtr Get(string symbol) => NativeLibrary.GetExport(lib, symbol);
        _getUniqueId = (delegate* unmanaged<NcclUniqueId*, int>)Get("ncclGetUniqueId");
        _commInitRank = (delegate* unmanaged<IntPtr*, int, NcclUniqueId, int, int>)Get("ncclCommInitRank");
        _allReduce = (delegate* unmanaged<IntPtr, IntPtr, nuint, int, int, IntPtr, IntPtr, int>)Get("ncclAllReduce");
        _commDestroy = (delegate* unmanaged<IntPtr, int>)Get("ncclCommDestroy");
        _getErrorString = (delegate* unmanaged<int, IntPtr>)Get("ncclGetErrorString");
    }

    /// <summary>Loads NCCL, or returns null with the reason in <paramref name="why"/>.</summary>
    public static NcclLibrary? TryLoad(out string why)
    {
        string? configured = Environment.GetEnvironmentVariable(PathVariable);
        string name = string.IsNullOrEmpty(configured) ? "libnccl.so.2" : configured;
        if (NativeLibrary.TryLoad(name, out var lib))
        {
            why = "";
            return new NcclLibrary(lib);
        }
        why = string.IsNullOrEmpty(configured)
            ? "libnccl.so.2 not found (set IJEPA_NCCL_LIBRARY to its path, e.g. …/site-packages/nvidia/nccl/lib/libnccl.so.2, or add its folder to LD_LIBRARY_PATH)"
            : $"{PathVariable}={configured}: the library could not be loaded";
        return null;
    }

    public NcclUniqueId UniqueId()
    {
        NcclUniqueId id;
        Check(_getUniqueId(&id), "ncclGetUniqueId");
        return id;
    }

    public IntPtr InitRank(int size, NcclUniqueId id, int rank)
    {
        IntPtr comm;
        Check(_commInitRank(&comm, size, id, rank), "ncclCommInitRank");
        return comm;
    }

    public void AllReduceAvg(IntPtr comm, IntPtr data, long count) =>
        Check(_allReduce(data, data, (nuint)count, Float32, Avg, comm, 0), "ncclAllReduce");

    public void Destroy(IntPtr comm) => _commDestroy(comm);

    private void Check(int result, string call)
    {
        if (result != 0)
            throw new IJepaException($"{call} failed: NCCL error {result} ({Marshal.PtrToStringAnsi(_getErrorString(result))})", 1);
    }
}
