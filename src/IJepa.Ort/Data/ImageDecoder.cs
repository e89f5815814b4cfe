// Decodes JPEG / PNG / WebP / BMP / GIF files with SkiaSharp into a reusable HWC buffer, the way
// torchvision's default loader does (PIL `convert('RGB')`: alpha dropped, no EXIF rotation).
using SkiaSharp;

namespace IJepa.Ort.Data;

public static class ImageDecoder
{
    /// <summary>File extensions an image folder is scanned for (compared case-insensitively).</summary>
    public static readonly IReadOnlySet<string> Extensions =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".jpg", ".jpeg", ".png", ".webp", ".bmp", ".gif" };

    /// <summary>Largest image accepted, in pixels (a guard against decompression bombs).</summary>
    public const long MaxPixels = 1L << 28;

    /// <summary>
    /// Decodes <paramref name="path"/> into <paramref name="into"/> with 3 (RGB) or 1 (grey, ITU-R 601 luma as
    /// PIL's <c>convert('L')</c>) channels. Returns a reason when the file cannot be decoded completely, else null.
    /// </summary>
    public static unsafe string? TryDecode(string path, ImageBuffer into, int channels)
    {
        if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), channels, "must be 1 or 3");
        using var codec = SKCodec.Create(path, out SKCodecResult opened);
        if (codec is null) return $"cannot decode ({opened})";
        int width = codec.Info.Width, height = codec.Info.Height;
        if (width <= 0 || height <= 0) return $"invalid size {width}x{height}";
        if ((long)width * height > MaxPixels) return $"image of {width}x{height} pixels is too large";

        into.Reset(height, width, channels, scratchChannels: 4);
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        SKCodecResult result;
        fixed (byte* pixels = into.Storage)
            result = codec.GetPixels(info, (IntPtr)pixels);
        if (result != SKCodecResult.Success) return $"cannot decode ({result})";

        PackRgba(into.Storage.AsSpan(0, width * height * 4), into.Storage, channels);
        return null;
    }

    /// <summary>Compacts RGBA in place to RGB or to grey (forward in-place: each write lands at or before its read).</summary>
    private static void PackRgba(ReadOnlySpan<byte> rgba, byte[] dst, int channels)
    {
        int pixels = rgba.Length / 4;
        if (channels == 3)
        {
            for (int p = 0; p < pixels; p++)
            {
                dst[3 * p] = rgba[4 * p];
                dst[3 * p + 1] = rgba[4 * p + 1];
                dst[3 * p + 2] = rgba[4 * p + 2];
            }
        }
        else
        {
            for (int p = 0; p < pixels; p++)
                dst[p] = (byte)((rgba[4 * p] * 19595 + rgba[4 * p + 1] * 38470 + rgba[4 * p + 2] * 7471 + 0x8000) >> 16);
        }
    }
}
