// Opens the dataset a config names: `fashion-mnist` (IDX written by `data fetch`), `idx`, `cifar`, or
// `image_folder` (ijepa's ImageNet layout: <root_path>/<image_folder>/train/ and val/), or `scenes` (generated, no files).
using IJepa.Ort.Errors;

namespace IJepa.Ort.Data;

public static class DatasetFactory
{
    public static readonly IReadOnlyList<string> Kinds = ["fashion-mnist", "idx", "cifar", "image_folder", "scenes"];

    /// <summary>
    /// Opens one split. The folder is <paramref name="rootPath"/>/<paramref name="imageFolder"/> (either may be
    /// omitted; for fashion-mnist both default to <see cref="FashionMnist.DefaultDirectory"/>). An image folder uses
    /// its <c>train/</c> (or itself) for training and <c>val/</c> or <c>test/</c> for testing, as ijepa does.
    /// </summary>
    /// <param name="channels">Channels decoded from an image folder (3 RGB or 1 grey); the others have their own.</param>
    /// <param name="log">Warnings, e.g. about unreadable images.</param>
    public static IImageDataset Open(string kind, string? rootPath, string? imageFolder, DataSplit split, int channels = 3, TextWriter? log = null)
    {
        string normalized = kind.Trim().ToLowerInvariant().Replace('-', '_');
        string folder = Combine(rootPath, imageFolder);
        switch (normalized)
        {
            case "fashion_mnist" or "fmnist":
                return FashionMnist.Open(folder.Length == 0 ? FashionMnist.DefaultDirectory : folder, split);
            case "idx" or "mnist":
                return IdxDataset.OpenSplit(Required(folder, kind), split);
            case "cifar" or "cifar10" or "cifar_10" or "cifar100" or "cifar_100":
                return CifarDataset.Open(Required(folder, kind), split);
            case "image_folder" or "imagefolder" or "imagenet":
                return new ImageFolderDataset(SplitFolder(Required(folder, kind), split), channels, log);
            case "scenes":
                return new ScenesDataset(new ScenesOptions(), split);
            default:
                throw new ConfigException($"dataset kind '{kind}' is unknown (expected one of: {string.Join(", ", Kinds)})");
        }
    }

    /// <summary>The folder a config names: root_path/image_folder, either part optional.</summary>
    public static string Combine(string? rootPath, string? imageFolder)
    {
        string root = rootPath ?? "", sub = imageFolder ?? "";
        return root.Length == 0 ? sub : sub.Length == 0 ? root : Path.Combine(root, sub);
    }

    private static string Required(string folder, string kind) =>
        folder.Length > 0 ? folder : throw new ConfigException($"dataset kind '{kind}' needs root_path or image_folder");

    private static string SplitFolder(string folder, DataSplit split)
    {
        if (!Directory.Exists(folder)) throw DataException.At(folder, "image folder not found");
        if (split == DataSplit.Train)
        {
            string train = Path.Combine(folder, "train");
            return Directory.Exists(train) ? train : folder;
        }
        foreach (string name in new[] { "val", "test" })
        {
            string candidate = Path.Combine(folder, name);
            if (Directory.Exists(candidate)) return candidate;
        }
        throw DataException.At(folder, "no val/ or test/ folder for the test split");
    }
}
