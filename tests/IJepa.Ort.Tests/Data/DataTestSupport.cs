// Test helpers for the data pipeline: a self-deleting temp folder, synthetic datasets and image files.
using IJepa.Ort.Data;
using SkiaSharp;

namespace IJepa.Ort.Tests.Data;

/// <summary>A fresh folder under the system temp path, deleted on Dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Path = Directory.CreateTempSubdirectory("ijepa-data-test-").FullName;

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

/// <summary>
/// An in-memory dataset whose pixels are a function of (index, y, x, c); chosen indices fail to load,
/// and loads sleep a little, differently per index, so that workers finish out of order.
/// </summary>
internal sealed class SyntheticDataset(int count, int height = 8, int width = 8, int channels = 3, int classes = 5,
    ISet<int>? unreadable = null, bool jitter = false) : IImageDataset
{
    private int _skipped;

    public int Count => count;
    public int Channels => channels;
    public int NumClasses => classes;
    public IReadOnlyList<string> ClassNames => Enumerable.Range(0, classes).Select(i => i.ToString()).ToArray();
    public string Source => "synthetic";
    public int SkippedCount => _skipped;

    public int Label(int index) => index % classes;

    public static byte Pixel(int index, int y, int x, int c) => (byte)(index * 7 + y * 13 + x * 3 + c * 50);

    public bool TryLoad(int index, ImageBuffer into)
    {
        if (jitter && index % 3 == 0) Thread.Sleep(index % 2);
        if (unreadable?.Contains(index) == true)
        {
            Interlocked.Increment(ref _skipped);
            return false;
        }
        into.Reset(height, width, channels);
        var pixels = into.Pixels;
        for (int y = 0, k = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                for (int c = 0; c < channels; c++) pixels[k++] = Pixel(index, y, x, c);
        return true;
    }
}

internal static class TestImages
{
    /// <summary>Writes a width x height image whose colour depends on (x, y, seed) in the given format.</summary>
    public static void Write(string path, int width, int height, SKEncodedImageFormat format, int seed = 0)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                bitmap.SetPixel(x, y, Color(x, y, seed));
        using var data = bitmap.Encode(format, 95);
        File.WriteAllBytes(path, data.ToArray());
    }

    public static SKColor Color(int x, int y, int seed) => new((byte)(x * 20 + seed), (byte)(y * 30), (byte)(100 + seed * 5), 255);
}
