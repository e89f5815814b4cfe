// `ijepa_ort.dataset:` — which reader loads the training images.
namespace IJepa.Ort.Config;

/// <summary>The training data format (<c>ijepa_ort.dataset</c>).</summary>
public enum DatasetKind
{
    /// <summary><c>image_folder</c>: one folder per class (JPEG/PNG/WebP) under <c>root_path/image_folder/train/</c>, as upstream.</summary>
    ImageFolder,

    /// <summary><c>fashion-mnist</c>: Fashion-MNIST in IDX files (what <c>ijepa-ort data fetch fashion-mnist</c> writes).</summary>
    FashionMnist,

    /// <summary><c>idx</c>: any MNIST-style IDX image/label file pair.</summary>
    Idx,

    /// <summary><c>cifar</c>: the CIFAR-10/100 binary format.</summary>
    Cifar,

    /// <summary><c>scenes</c>: generated scenes of 3–10 shapes (32×32 RGB, no files; labelled by object count).</summary>
    Scenes,
}

/// <summary>The YAML spelling of <see cref="DatasetKind"/>.</summary>
public static class DatasetKinds
{
    public static readonly IReadOnlyList<(string Name, DatasetKind Kind)> All =
    [
        ("image_folder", DatasetKind.ImageFolder),
        ("fashion-mnist", DatasetKind.FashionMnist),
        ("idx", DatasetKind.Idx),
        ("cifar", DatasetKind.Cifar),
        ("scenes", DatasetKind.Scenes),
    ];

    public static string YamlName(this DatasetKind kind) => All.First(e => e.Kind == kind).Name;

    public static DatasetKind? Parse(string name)
    {
        foreach (var (n, k) in All)
            if (n == name) return k;
        return null;
    }
}
