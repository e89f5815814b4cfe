// A flat native buffer (host, 64-byte aligned, or CUDA device memory) with OrtValue views at element offsets: the
// parameter store's storage.
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace IJepa.Ort.Runtime;

/// <summary>Owns <see cref="Length"/> zeroed elements in <see cref="Memory"/>; views share them without copying.</summary>
public sealed unsafe class NativeBuffer<T> : IDisposable where T : unmanaged
{
    private IntPtr _data;

    public NativeBuffer(long length) : this(length, DeviceMemory.Host) { }

    public NativeBuffer(long length, DeviceMemory memory)
    {
        Length = length;
        Memory = memory;
        _data = memory.Allocate((nuint)(length * sizeof(T)));
    }

    public long Length { get; }
    public DeviceMemory Memory { get; }
    public long Bytes => Length * sizeof(T);

    /// <summary>The first element's address (a device address for device memory).</summary>
    public IntPtr Pointer => _data != 0 ? _data : throw new ObjectDisposedException(nameof(NativeBuffer<T>));

    /// <summary>The elements, for host memory only.</summary>
    public Span<T> Span => Slice(0, Length);

    public Span<T> Slice(long offset, long count) => Memory.IsHost
        ? new((T*)Pointer + offset, checked((int)count))
        : throw new InvalidOperationException($"a buffer in {Memory} memory has no host span: copy it to the host first");

    /// <summary>The buffer cut into consecutive (offset, count) pieces of at most <paramref name="maxCount"/> elements: for
    /// APIs whose counts are ints, or spans of bytes that cannot pass 2 GiB.</summary>
    public IEnumerable<(long Offset, int Count)> Slices(int maxCount)
    {
        for (long offset = 0; offset < Length; offset += maxCount)
            yield return (offset, (int)Math.Min(maxCount, Length - offset));
    }

    /// <summary>A tensor view of <paramref name="shape"/> starting at element <paramref name="offset"/>; the caller owns the OrtValue.</summary>
    public OrtValue View(long offset, long[] shape)
    {
        long count = shape.Aggregate(1L, (a, b) => a * b);
        if (offset < 0 || offset + count > Length) throw new ArgumentOutOfRangeException(nameof(offset), $"view [{offset}, {offset + count}) outside buffer of {Length}");
        OrtValueCounter.Increment();
        return OrtValue.CreateTensorValueWithData(Memory.Info, ElementType, shape, Pointer + (nint)(offset * sizeof(T)), count * sizeof(T));
    }

    /// <summary>Copies <paramref name="count"/> elements from <paramref name="source"/> (any memory) to element <paramref name="offset"/> of this buffer.</summary>
    public void CopyFrom(NativeBuffer<T> source, long count, long sourceOffset = 0, long offset = 0)
    {
        if (count < 0 || sourceOffset + count > source.Length || offset + count > Length)
            throw new ArgumentOutOfRangeException(nameof(count), $"copy of {count} elements: [{sourceOffset}, +{count}) of {source.Length} to [{offset}, +{count}) of {Length}");
        DeviceMemory.Copy(Memory, Pointer + (nint)(offset * sizeof(T)), source.Memory, source.Pointer + (nint)(sourceOffset * sizeof(T)), (nuint)(count * sizeof(T)));
    }

    /// <summary>Copies the whole of <paramref name="source"/> (same length, any memory) into this buffer.</summary>
    public void CopyFrom(NativeBuffer<T> source) => CopyFrom(source, source.Length == Length ? Length
        : throw new ArgumentException($"buffers of {source.Length} and {Length} elements", nameof(source)));

    private static TensorElementType ElementType => typeof(T) == typeof(float) ? TensorElementType.Float
        : typeof(T) == typeof(long) ? TensorElementType.Int64
        : typeof(T) == typeof(double) ? TensorElementType.Double
        : throw new NotSupportedException(typeof(T).Name);

    public void Dispose()
    {
        if (_data == 0) return;
        Memory.Free(_data);
        _data = 0;
    }
}

/// <summary>Counts OrtValue views created by the project, so a test can prove the hot loop creates none.</summary>
public static class OrtValueCounter
{
    private static long _created;
    public static long Created => Interlocked.Read(ref _created);
    internal static void Increment() => Interlocked.Increment(ref _created);
}
