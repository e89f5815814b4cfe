// A reusable 8-bit image in HWC layout: what a dataset decodes into before augmentation.
namespace IJepa.Ort.Data;

/// <summary>
/// One decoded image, rows of interleaved channels (HWC), values 0–255. The backing array grows to the
/// largest image seen and is then reused, so a worker decodes without allocating per image.
/// </summary>
public sealed class ImageBuffer
{
    private byte[] _data = [];

    public int Height { get; private set; }
    public int Width { get; private set; }
    public int Channels { get; private set; }
    public int Length => Height * Width * Channels;

    /// <summary>The pixels, HWC, exactly <see cref="Length"/> bytes.</summary>
    public Span<byte> Pixels => _data.AsSpan(0, Length);

    /// <summary>The whole backing array (at least <see cref="Length"/> bytes), for decoders that need spare room.</summary>
    internal byte[] Storage => _data;

    /// <summary>Sets the shape and makes room for it (and for <paramref name="scratchChannels"/> per pixel while decoding).</summary>
    public void Reset(int height, int width, int channels, int scratchChannels = 0)
    {
        if (height <= 0 || width <= 0 || channels <= 0)
            throw new ArgumentException($"invalid image shape {height}x{width}x{channels}");
        long needed = (long)height * width * Math.Max(channels, scratchChannels);
        if (needed > Array.MaxLength) throw new ArgumentException($"image {height}x{width} is too large");
        if (_data.Length < needed) _data = new byte[needed];
        Height = height;
        Width = width;
        Channels = channels;
    }

    /// <summary>Pixel value at (y, x, c).</summary>
    public byte this[int y, int x, int c] => _data[(y * Width + x) * Channels + c];
}
