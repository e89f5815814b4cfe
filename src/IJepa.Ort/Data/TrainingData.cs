// The data set and transform a config trains on: its dataset kind opened (Fashion-MNIST fetched on first use), and
// ijepa's make_transforms from its `data:` keys.
using IJepa.Ort.Config;
using IJepa.Ort.Errors;

namespace IJepa.Ort.Data;

public static class TrainingData
{
    /// <summary>The <paramref name="split"/> of the config's dataset; Fashion-MNIST is fetched on first use (a corrupt copy is refused).</summary>
    public static IImageDataset Open(IJepaConfig config, TextWriter log, DataSplit split = DataSplit.Train)
    {
        var kind = config.IJepaOrt.Dataset;
        if (kind == DatasetKind.FashionMnist) FashionMnist.EnsurePresent(FashionMnistDirectory(config), log);
        var dataset = DatasetFactory.Open(kind.YamlName(), config.Data.RootPath, config.Data.ImageFolder, split, config.Encoder().InChans, log);
        if (dataset.Count < config.Data.BatchSize) RequireOneReadable(dataset);
        return dataset;
    }

    /// <summary>A set smaller than a batch is refused for its size later; first make sure it is not simply unreadable
    /// (bounded: fewer images than a batch are tried).</summary>
    private static void RequireOneReadable(IImageDataset dataset)
    {
        var buffer = new ImageBuffer();
        for (int i = 0; i < dataset.Count; i++)
            if (dataset.TryLoad(i, buffer)) return;
        throw DataException.At(dataset.Source, $"no image could be read ({dataset.Count} tried)");
    }

    /// <summary>ijepa's make_transforms from the config: RandomResizedCrop(crop_size, crop_scale), optional flip/jitter/blur, normalise.</summary>
    public static AugmentOptions Augmentation(IJepaConfig config, int channels)
    {
        var d = config.Data;
        bool configured = config.IJepaOrt.Mean.Count == channels;
        return new AugmentOptions
        {
            CropSize = d.CropSize, CropScale = d.CropScale, HorizontalFlip = d.UseHorizontalFlip,
            ColorDistortion = d.UseColorDistortion, ColorJitterStrength = d.ColorJitterStrength, GaussianBlur = d.UseGaussianBlur,
            OutChannels = config.Encoder().InChans,
            Mean = configured ? config.IJepaOrt.Mean.Select(v => (float)v).ToArray() : null,
            Std = configured ? config.IJepaOrt.Std.Select(v => (float)v).ToArray() : null,
        };
    }

    private static string FashionMnistDirectory(IJepaConfig config) =>
        DatasetFactory.Combine(config.Data.RootPath, config.Data.ImageFolder) is { Length: > 0 } dir ? dir : FashionMnist.DefaultDirectory;
}
