// CIFAR-10 / CIFAR-100 in their binary ("for C programs") form: fixed-size records of label byte(s)
// followed by 3072 bytes of a 32x32 RGB image stored channel-major (1024 R, 1024 G, 1024 B).
using IJepa.Ort.Errors;

namespace IJepa.Ort.Data;

public sealed class CifarDataset : IImageDataset
{
    public const int Side = 32;
    private const int PixelBytes = 3 * Side * Side;

    private static readonly string[] Cifar10Names =
        ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    private readonly byte[] _records;
    private readonly int _recordSize;
    private readonly int _labelOffset;

    /// <summary>
    /// Reads the given batch files. CIFAR-10 records are <c>&lt;label&gt;&lt;3072 pixels&gt;</c>; CIFAR-100 records are
    /// <c>&lt;coarse&gt;&lt;fine&gt;&lt;3072 pixels&gt;</c> and <paramref name="coarseLabels"/> picks the 20 super-classes.
    /// </summary>
    public CifarDataset(IReadOnlyList<string> files, bool cifar100, IReadOnlyList<string> classNames, bool coarseLabels = false)
    {
        if (files.Count == 0) throw new ArgumentException("no CIFAR batch files", nameof(files));
        _recordSize = (cifar100 ? 2 : 1) + PixelBytes;
        _labelOffset = cifar100 && !coarseLabels ? 1 : 0;
        ClassNames = classNames;
        Source = files.Count == 1 ? files[0] : Path.GetDirectoryName(Path.GetFullPath(files[0]))!;

        long total = 0;
        var lengths = new long[files.Count];
        for (int f = 0; f < files.Count; f++)
        {
            if (!File.Exists(files[f])) throw DataException.At(files[f], "file not found");
            lengths[f] = new FileInfo(files[f]).Length;
            if (lengths[f] == 0 || lengths[f] % _recordSize != 0)
                throw DataException.At(files[f], $"truncated or not a CIFAR-{(cifar100 ? 100 : 10)} batch: {lengths[f]} bytes is not a whole number of {_recordSize}-byte records");
            total += lengths[f];
        }
        if (total > Array.MaxLength) throw DataException.At(Source, $"{total} bytes of CIFAR records do not fit in memory");
        _records = new byte[total];
        int first = 0;
        for (int f = 0; f < files.Count; f++)
        {
            int records = (int)(lengths[f] / _recordSize);
            using (var stream = File.OpenRead(files[f]))
                stream.ReadExactly(_records, first * _recordSize, records * _recordSize);
            for (int r = 0; r < records; r++)
                if (Label(first + r) >= NumClasses)
                    throw DataException.At(files[f], $"record {r} has label {Label(first + r)}, expected < {NumClasses}");
            first += records;
        }
        Count = first;
    }

    /// <summary>
    /// Opens a split from a CIFAR-10 folder (<c>data_batch_1..5.bin</c>, <c>test_batch.bin</c>, optional
    /// <c>batches.meta.txt</c>) or a CIFAR-100 folder (<c>train.bin</c>, <c>test.bin</c>,
    /// <c>fine_label_names.txt</c>), given directly or as its parent (<c>cifar-10-batches-bin/</c>, <c>cifar-100-binary/</c>).
    /// </summary>
    public static CifarDataset Open(string directory, DataSplit split, bool coarseLabels = false)
    {
        if (!Directory.Exists(directory)) throw DataException.At(directory, "directory not found");
        foreach (string dir in new[] { directory, Path.Combine(directory, "cifar-10-batches-bin"), Path.Combine(directory, "cifar-100-binary") })
        {
            if (File.Exists(Path.Combine(dir, "data_batch_1.bin")) || File.Exists(Path.Combine(dir, "test_batch.bin")))
            {
                string[] files = split == DataSplit.Train
                    ? Enumerable.Range(1, 5).Select(i => Path.Combine(dir, $"data_batch_{i}.bin")).ToArray()
                    : [Path.Combine(dir, "test_batch.bin")];
                return new CifarDataset(files, cifar100: false, ReadNames(Path.Combine(dir, "batches.meta.txt"), Cifar10Names));
            }
            if (File.Exists(Path.Combine(dir, "train.bin")) || File.Exists(Path.Combine(dir, "test.bin")))
            {
                string file = Path.Combine(dir, split == DataSplit.Train ? "train.bin" : "test.bin");
                int classes = coarseLabels ? 20 : 100;
                string namesFile = Path.Combine(dir, coarseLabels ? "coarse_label_names.txt" : "fine_label_names.txt");
                var fallback = Enumerable.Range(0, classes).Select(i => i.ToString()).ToArray();
                return new CifarDataset([file], cifar100: true, ReadNames(namesFile, fallback), coarseLabels);
            }
        }
        throw DataException.At(directory, "no CIFAR binary batches (data_batch_1.bin / test_batch.bin, or train.bin / test.bin)");
    }

    public int Count { get; }
    public int Channels => 3;
    public int NumClasses => ClassNames.Count;
    public IReadOnlyList<string> ClassNames { get; }
    public string Source { get; }
    public int SkippedCount => 0;

    public int Label(int index) => _records[(long)index * _recordSize + _labelOffset];

    public bool TryLoad(int index, ImageBuffer into)
    {
        into.Reset(Side, Side, 3);
        var chw = _records.AsSpan((int)((long)index * _recordSize + _recordSize - PixelBytes), PixelBytes);
        var hwc = into.Pixels;
        const int plane = Side * Side;
        for (int p = 0; p < plane; p++)
        {
            hwc[3 * p] = chw[p];
            hwc[3 * p + 1] = chw[plane + p];
            hwc[3 * p + 2] = chw[2 * plane + p];
        }
        return true;
    }

    private static IReadOnlyList<string> ReadNames(string path, IReadOnlyList<string> fallback)
    {
        if (!File.Exists(path)) return fallback;
        var names = File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        return names.Length == fallback.Count ? names : fallback;
    }
}
