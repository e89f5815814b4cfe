// Where a flat buffer lives: host memory (64-byte aligned) or one CUDA device's memory, with the OrtMemoryInfo that
// OrtValue views over it carry, so ONNX Runtime reads and writes it in place.
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace IJepa.Ort.Runtime;

public abstract class DeviceMemory
{
    public static readonly DeviceMemory Host = new HostMemory();

    /// <summary>Device memory of CUDA device <paramref name="index"/>.</summary>
    public static DeviceMemory Cuda(int index) => new CudaMemory(index);

    public abstract bool IsHost { get; }

    /// <summary>The memory info of views over this memory (CPU, or CUDA device N).</summary>
    public abstract OrtMemoryInfo Info { get; }

    /// <summary>Zeroed memory of <paramref name="bytes"/>, aligned to at least 64 bytes.</summary>
    public abstract IntPtr Allocate(nuint bytes);

    public abstract void Free(IntPtr pointer);

    private static long _crossed;

    /// <summary>Bytes this process copied between host and device memory so far (a step should add none of the parameters).</summary>
    public static long BytesCrossed => Interlocked.Read(ref _crossed);

    /// <summary>Copies <paramref name="bytes"/> between any two buffers (host or device).</summary>
    public static unsafe void Copy(DeviceMemory to, IntPtr destination, DeviceMemory from, IntPtr source, nuint bytes)
    {
        if (bytes == 0) return;
        if (to.IsHost && from.IsHost)
        {
            Buffer.MemoryCopy((void*)source, (void*)destination, bytes, bytes);
            return;
        }
        CudaRuntime.Copy(destination, source, bytes);
        if (to.IsHost != from.IsHost) Interlocked.Add(ref _crossed, (long)bytes);
    }

    private sealed unsafe class HostMemory : DeviceMemory
    {
        public override bool IsHost => true;
        public override OrtMemoryInfo Info => OrtMemoryInfo.DefaultInstance;

        public override IntPtr Allocate(nuint bytes)
        {
            void* p = NativeMemory.AlignedAlloc(Math.Max(bytes, 1), 64);
            NativeMemory.Clear(p, bytes);
            return (IntPtr)p;
        }

        public override void Free(IntPtr pointer) => NativeMemory.AlignedFree((void*)pointer);

        public override string ToString() => "host";
    }

    private sealed class CudaMemory(int index) : DeviceMemory
    {
        private readonly OrtMemoryInfo _info = new(OrtMemoryInfo.allocatorCUDA, OrtAllocatorType.DeviceAllocator, index, OrtMemType.Default);

        public override bool IsHost => false;
        public override OrtMemoryInfo Info => _info;

        public override IntPtr Allocate(nuint bytes)
        {
            CudaRuntime.SetDevice(index);
            return CudaRuntime.Allocate(Math.Max(bytes, 1));
        }

        public override void Free(IntPtr pointer) => CudaRuntime.Free(pointer);

        public override string ToString() => $"cuda:{index}";
    }
}
