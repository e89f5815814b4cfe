// A 64-byte-aligned native buffer with OrtValue views at element offsets (the parameter store's storage).
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace IJepa.Ort.Runtime;

/// <summary>Owns <see cref="Length"/> elements of aligned, zeroed native memory; views share it without copying.</summary>
public sealed unsafe class NativeBuffer<T> : IDisposable where T : unmanaged
{
    private void* _data;

    public NativeBuffer(long length)
    {
        Length = length;
        nuint bytes = (nuint)Math.Max(1, length * sizeof(T));
        _data = NativeMemory.AlignedAlloc(bytes, 64);
        NativeMemory.Clear(_data, bytes);
    }

    public long Length { get; }

    public Span<T> Span => new(Data, checked((int)Length));
    public Span<T> Slice(long offset, long count) => new((T*)Data + offset, checked((int)count));

    /// <summary>A tensor view of <paramref name="shape"/> starting at element <paramref name="offset"/>; the caller owns the OrtValue.</summary>
    public OrtValue View(long offset, long[] shape)
    {
        long count = shape.Aggregate(1L, (a, b) => a * b);
        if (offset < 0 || offset + count > Length) throw new ArgumentOutOfRangeException(nameof(offset), $"view [{offset}, {offset + count}) outside buffer of {Length}");
        OrtValueCounter.Increment();
        return OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, ElementType, shape,
            (IntPtr)((T*)Data + offset), count * sizeof(T));
    }

    private void* Data => _data != null ? _data : throw new ObjectDisposedException(nameof(NativeBuffer<T>));

    private static TensorElementType ElementType => typeof(T) == typeof(float) ? TensorElementType.Float
        : typeof(T) == typeof(long) ? TensorElementType.Int64
        : typeof(T) == typeof(double) ? TensorElementType.Double
        : throw new NotSupportedException(typeof(T).Name);

    public void Dispose()
    {
        if (_data == null) return;
        NativeMemory.AlignedFree(_data);
        _data = null;
    }
}

/// <summary>Counts OrtValue views created by the project, so a test can prove the hot loop creates none.</summary>
public static class OrtValueCounter
{
    private static long _created;
    public static long Created => Interlocked.Read(ref _created);
    internal static void Increment() => Interlocked.Increment(ref _created);
}
