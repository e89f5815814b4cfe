// The contract between image sources (IDX, CIFAR, ImageFolder) and the batch loader.
namespace IJepa.Ort.Data;

/// <summary>Which half of a dataset: ijepa trains on <c>train/</c> and evaluates on <c>val/</c>.</summary>
public enum DataSplit { Train, Test }

/// <summary>
/// A labelled set of 8-bit images addressed by index. Implementations are safe to read from several
/// threads at once (the loader's workers share one instance).
/// </summary>
public interface IImageDataset
{
    /// <summary>Number of images.</summary>
    int Count { get; }

    /// <summary>Channels of every loaded image: 1 (grey) or 3 (RGB).</summary>
    int Channels { get; }

    int NumClasses { get; }

    /// <summary>Class names in label order.</summary>
    IReadOnlyList<string> ClassNames { get; }

    /// <summary>Where the images come from (a path), for logs and error messages.</summary>
    string Source { get; }

    /// <summary>Images found unreadable so far (always 0 for sources validated when opened).</summary>
    int SkippedCount { get; }

    /// <summary>The class of image <paramref name="index"/>, in [0, NumClasses).</summary>
    int Label(int index);

    /// <summary>
    /// Decodes image <paramref name="index"/> into <paramref name="into"/> (HWC bytes). Returns false, after
    /// warning once and counting it in <see cref="SkippedCount"/>, when the image cannot be read.
    /// </summary>
    bool TryLoad(int index, ImageBuffer into);
}
