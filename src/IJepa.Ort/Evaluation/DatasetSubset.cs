// A fixed subset of a data set (probes on a budget, the trainer's held-out evaluation images).
using IJepa.Ort.Data;

namespace IJepa.Ort.Evaluation;

/// <summary>The images <c>Indices</c> of another data set, in that order; labels and pixels are the inner set's.</summary>
public sealed class DatasetSubset(IImageDataset inner, int[] indices) : IImageDataset
{
    private const ulong SubsetStream = 0x535542534554UL;

    public IImageDataset Inner { get; } = inner;
    public IReadOnlyList<int> Indices { get; } = indices;

    /// <summary>
    /// <paramref name="count"/> images drawn without replacement by a seeded shuffle, kept in dataset order; the set
    /// itself when <paramref name="count"/> is 0 or not smaller than it. The same (set size, count, seed) gives the same images.
    /// </summary>
    public static IImageDataset Take(IImageDataset dataset, int count, ulong seed)
    {
        if (count <= 0 || count >= dataset.Count) return dataset;
        var order = Enumerable.Range(0, dataset.Count).ToArray();
        var rng = DataRandom.For(seed ^ SubsetStream, dataset.Count, count);
        rng.Shuffle(order.AsSpan());
        var chosen = order[..count];
        Array.Sort(chosen);
        return new DatasetSubset(dataset, chosen);
    }

    /// <summary>
    /// Two disjoint seeded subsets of one set, for choosing settings without touching the test split: <paramref name="heldOut"/>
    /// images to validate on and <paramref name="count"/> others to train on (0: all the rest). Each keeps dataset order.
    /// </summary>
    public static (IImageDataset Train, IImageDataset HeldOut) Carve(IImageDataset dataset, int count, int heldOut, ulong seed)
    {
        if (heldOut <= 0 || heldOut >= dataset.Count)
            throw new ArgumentOutOfRangeException(nameof(heldOut), $"{heldOut} held-out images out of {dataset.Count}");
        var order = Enumerable.Range(0, dataset.Count).ToArray();
        var rng = DataRandom.For(seed ^ SubsetStream ^ 0x56414CUL, dataset.Count, heldOut);
        rng.Shuffle(order.AsSpan());
        int rest = count <= 0 ? dataset.Count - heldOut : Math.Min(count, dataset.Count - heldOut);
        var held = order[..heldOut];
        var train = order[heldOut..(heldOut + rest)];
        Array.Sort(held);
        Array.Sort(train);
        return (new DatasetSubset(dataset, train), new DatasetSubset(dataset, held));
    }

    public int Count => Indices.Count;
    public int Channels => Inner.Channels;
    public int NumClasses => Inner.NumClasses;
    public IReadOnlyList<string> ClassNames => Inner.ClassNames;
    public string Source => $"{Inner.Source} ({Count} of {Inner.Count})";
    public int SkippedCount => Inner.SkippedCount;
    public int Label(int index) => Inner.Label(Indices[index]);
    public bool TryLoad(int index, ImageBuffer into) => Inner.TryLoad(Indices[index], into);
}
