// An image dataset in the IDX format of (Fashion-)MNIST: an idx3 file of [N, H, W] grey images and an
// idx1 file of N labels, held in memory (Fashion-MNIST's training half is 47 MB).
using IJepa.Ort.Errors;

namespace IJepa.Ort.Data;

public sealed class IdxDataset : IImageDataset
{
    private readonly ReadOnlyMemory<byte> _images;
    private readonly ReadOnlyMemory<byte> _labels;

    public IdxDataset(string imagesPath, string labelsPath, IReadOnlyList<string>? classNames = null)
    {
        var images = IdxArray.Read(imagesPath, expectedRank: 3);
        var labels = IdxArray.Read(labelsPath, expectedRank: 1);
        if (labels.Dims[0] != images.Dims[0])
            throw DataException.At(labelsPath, $"{labels.Dims[0]} labels for {images.Dims[0]} images in {imagesPath}");
        int maxLabel = 0;
        foreach (byte label in labels.Data.Span) maxLabel = Math.Max(maxLabel, label);
        if (classNames is not null && maxLabel >= classNames.Count)
            throw DataException.At(labelsPath, $"label {maxLabel} out of range for {classNames.Count} classes");

        _images = images.Data;
        _labels = labels.Data;
        Count = images.Dims[0];
        Height = images.Dims[1];
        Width = images.Dims[2];
        ClassNames = classNames ?? Enumerable.Range(0, maxLabel + 1).Select(i => i.ToString()).ToArray();
        Source = imagesPath;
    }

    /// <summary>
    /// Opens the standard file pair of a split in <paramref name="directory"/>: <c>train-*</c> or <c>t10k-*</c>
    /// (<c>-images-idx3-ubyte</c>, <c>-labels-idx1-ubyte</c>), plain or gzipped.
    /// </summary>
    public static IdxDataset OpenSplit(string directory, DataSplit split, IReadOnlyList<string>? classNames = null)
    {
        if (!Directory.Exists(directory)) throw DataException.At(directory, "directory not found");
        string prefix = split == DataSplit.Train ? "train" : "t10k";
        return new IdxDataset(
            FindFile(directory, $"{prefix}-images-idx3-ubyte"),
            FindFile(directory, $"{prefix}-labels-idx1-ubyte"),
            classNames);
    }

    public int Count { get; }
    public int Height { get; }
    public int Width { get; }
    public int Channels => 1;
    public int NumClasses => ClassNames.Count;
    public IReadOnlyList<string> ClassNames { get; }
    public string Source { get; }
    public int SkippedCount => 0;

    public int Label(int index) => _labels.Span[index];

    public bool TryLoad(int index, ImageBuffer into)
    {
        int size = Height * Width;
        into.Reset(Height, Width, 1);
        _images.Span.Slice(index * size, size).CopyTo(into.Pixels);
        return true;
    }

    private static string FindFile(string directory, string name)
    {
        string plain = Path.Combine(directory, name);
        if (File.Exists(plain)) return plain;
        string gz = plain + ".gz";
        if (File.Exists(gz)) return gz;
        throw DataException.At(plain, "file not found (nor .gz)");
    }
}
