// The few CUDA runtime calls C# needs for device-resident buffers (libcudart.so.13, loaded at run time: the CPU build
// and machines without CUDA never touch it).
using System.Runtime.InteropServices;
using IJepa.Ort.Errors;

namespace IJepa.Ort.Runtime;

public static unsafe class CudaRuntime
{
    private const int MemcpyDefault = 4;   // cudaMemcpyDefault: the direction is inferred from the pointers (UVA)
    private static readonly Lazy<Api> Loaded = new(Load);

    private sealed class Api
    {
        public delegate* unmanaged<int, int> SetDevice;
        public delegate* unmanaged<IntPtr*, nuint, int> Malloc;
        public delegate* unmanaged<IntPtr, int> Free;
        public delegate* unmanaged<IntPtr, IntPtr, nuint, int, int> Memcpy;
        public delegate* unmanaged<IntPtr, int, nuint, int> Memset;
        public delegate* unmanaged<IntPtr, int> StreamSynchronize;
        public delegate* unmanaged<int, IntPtr> GetErrorString;
    }

    public static void SetDevice(int device) => Check(Loaded.Value.SetDevice(device), $"cudaSetDevice({device})");

    /// <summary>Zeroed device memory of <paramref name="bytes"/> on the current device (cudaMalloc aligns to 256 bytes).</summary>
    public static IntPtr Allocate(nuint bytes)
    {
        var api = Loaded.Value;
        IntPtr p;
        Check(api.Malloc(&p, bytes), $"cudaMalloc({bytes} bytes)");
        Check(api.Memset(p, 0, bytes), "cudaMemset");
        return p;
    }

    public static void Free(IntPtr p) => Check(Loaded.Value.Free(p), "cudaFree");

    /// <summary>A synchronous copy in any direction (host or device pointers on either side).</summary>
    public static void Copy(IntPtr destination, IntPtr source, nuint bytes) =>
        Check(Loaded.Value.Memcpy(destination, source, bytes, MemcpyDefault), $"cudaMemcpy({bytes} bytes)");

    /// <summary>Waits for the work queued on <paramref name="stream"/> (0: the legacy default stream).</summary>
    public static void Synchronize(IntPtr stream = 0) => Check(Loaded.Value.StreamSynchronize(stream), "cudaStreamSynchronize");

    private static void Check(int status, string call)
    {
        if (status == 0) return;
        string text = Marshal.PtrToStringAnsi(Loaded.Value.GetErrorString(status)) ?? "unknown error";
        throw new IJepaException($"{call} failed: CUDA error {status} ({text})", 1);
    }

    private static Api Load()
    {
        IntPtr lib = 0;
        foreach (var name in (string[])["libcudart.so.13", "libcudart.so"])
            if (NativeLibrary.TryLoad(name, out lib)) break;
        if (lib == 0)
            throw new IJepaException("the CUDA runtime (libcudart.so.13) was not found: put the CUDA 13 libraries on LD_LIBRARY_PATH", 1);
        IntPtr Get(string symbol) => NativeLibrary.GetExport(lib, symbol);
        return new Api
        {
            SetDevice = (delegate* unmanaged<int, int>)Get("cudaSetDevice"),
            Malloc = (delegate* unmanaged<IntPtr*, nuint, int>)Get("cudaMalloc"),
            Free = (delegate* unmanaged<IntPtr, int>)Get("cudaFree"),
            Memcpy = (delegate* unmanaged<IntPtr, IntPtr, nuint, int, int>)Get("cudaMemcpy"),
            Memset = (delegate* unmanaged<IntPtr, int, nuint, int>)Get("cudaMemset"),
            StreamSynchronize = (delegate* unmanaged<IntPtr, int>)Get("cudaStreamSynchronize"),
            GetErrorString = (delegate* unmanaged<int, IntPtr>)Get("cudaGetErrorString"),
        };
    }
}
