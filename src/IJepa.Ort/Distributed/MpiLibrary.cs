// Open MPI's C API through libmpi.so.40, loaded at run time (MPI.NET targets Microsoft MPI on Windows). Open MPI's
// handles are the addresses of exported globals (MPI_COMM_WORLD is &ompi_mpi_comm_world), MPI_IN_PLACE is (void*)1.
using System.Runtime.InteropServices;
using IJepa.Ort.Errors;

namespace IJepa.Ort.Distributed;

internal sealed unsafe class MpiLibrary
{
    public static readonly IntPtr InPlace = 1;
    private const int ThreadFunneled = 1;   // MPI_THREAD_FUNNELED: only the main thread calls MPI

    public readonly IntPtr CommWorld, Float, Double, Byte, OpSum;
    private readonly delegate* unmanaged<int*, int> _initialized;
    private readonly delegate* unmanaged<int*, int> _finalized;
    private readonly delegate* unmanaged<IntPtr, IntPtr, int, int*, int> _initThread;
    private readonly delegate* unmanaged<IntPtr, int*, int> _commRank, _commSize;
    private readonly delegate* unmanaged<IntPtr, IntPtr, int, IntPtr, IntPtr, IntPtr, int> _allreduce;
    private readonly delegate* unmanaged<IntPtr, int, IntPtr, int, IntPtr, int> _bcast;
    private readonly delegate* unmanaged<IntPtr, int> _barrier;
    private readonly delegate* unmanaged<IntPtr, int, int> _abort;
    private readonly delegate* unmanaged<int> _finalize;

    private MpiLibrary(IntPtr lib)
    {
        IntPtr Get(string symbol) => NativeLibrary.GetExport(lib, symbol);
        CommWorld = Get("ompi_mpi_comm_world");
        Float = Get("ompi_mpi_float");
        Double = Get("ompi_mpi_double");
        Byte = Get("ompi_mpi_byte");
        OpSum = Get("ompi_mpi_op_sum");
        _initialized = (delegate* unmanaged<int*, int>)Get("MPI_Initialized");
        _finalized = (delegate* unmanaged<int*, int>)Get("MPI_Finalized");
        _initThread = (delegate* unmanaged<IntPtr, IntPtr, int, int*, int>)Get("MPI_Init_thread");
        _commRank = (delegate* unmanaged<IntPtr, int*, int>)Get("MPI_Comm_rank");
        _commSize = (delegate* unmanaged<IntPtr, int*, int>)Get("MPI_Comm_size");
        _allreduce = (delegate* unmanaged<IntPtr, IntPtr, int, IntPtr, IntPtr, IntPtr, int>)Get("MPI_Allreduce");
        _bcast = (delegate* unmanaged<IntPtr, int, IntPtr, int, IntPtr, int>)Get("MPI_Bcast");
        _barrier = (delegate* unmanaged<IntPtr, int>)Get("MPI_Barrier");
        _abort = (delegate* unmanaged<IntPtr, int, int>)Get("MPI_Abort");
        _finalize = (delegate* unmanaged<int>)Get("MPI_Finalize");
    }

    /// <summary>Loads libmpi.so.40, or fails with a line that says how to get it.</summary>
    public static MpiLibrary Load()
    {
        foreach (var name in (string[])["libmpi.so.40", "libmpi.so"])
            if (NativeLibrary.TryLoad(name, out var lib)) return new MpiLibrary(lib);
        throw new IJepaException("started by mpirun, but Open MPI's libmpi.so.40 could not be loaded: install openmpi-bin (Debian) or put it on LD_LIBRARY_PATH", 1);
    }

    public void Init()
    {
        int flag;
        Check(_initialized(&flag), "MPI_Initialized");
        if (flag != 0) return;
        int provided;
        Check(_initThread(0, 0, ThreadFunneled, &provided), "MPI_Init_thread");
    }

    public int Rank() { int r; Check(_commRank(CommWorld, &r), "MPI_Comm_rank"); return r; }
    public int Size() { int s; Check(_commSize(CommWorld, &s), "MPI_Comm_size"); return s; }

    public void AllreduceSum(IntPtr data, int count, IntPtr type) => Check(_allreduce(InPlace, data, count, type, OpSum, CommWorld), "MPI_Allreduce");
    public void Bcast(IntPtr data, int count, IntPtr type) => Check(_bcast(data, count, type, 0, CommWorld), "MPI_Bcast");
    public void Barrier() => Check(_barrier(CommWorld), "MPI_Barrier");
    public void Abort(int code) => _abort(CommWorld, code);

    public void Shutdown()
    {
        int flag;
        if (_finalized(&flag) == 0 && flag == 0) Check(_finalize(), "MPI_Finalize");
    }

    // Open MPI's default error handler aborts the job on any error, so a non-zero code here is rare: report it plainly.
    private static void Check(int code, string call)
    {
        if (code != 0) throw new IJepaException($"{call} failed with MPI error {code}", 1);
    }
}
