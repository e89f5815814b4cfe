// The knobs of the augmentation pipeline, named after ijepa's `data:` config keys
// (crop_size, crop_scale, use_horizontal_flip, use_color_distortion, color_jitter_strength, use_gaussian_blur).
namespace IJepa.Ort.Data;

public sealed record AugmentOptions
{
    /// <summary>ImageNet statistics, ijepa's default normalisation for RGB.</summary>
    public static readonly float[] ImageNetMean = [0.485f, 0.456f, 0.406f];
    public static readonly float[] ImageNetStd = [0.229f, 0.224f, 0.225f];

    /// <summary>Fashion-MNIST training-set statistics, our default for 1-channel images (ijepa has none).</summary>
    public static readonly float[] FashionMnistMean = [0.2860f];
    public static readonly float[] FashionMnistStd = [0.3530f];

    /// <summary>Output side: images come out CropSize x CropSize.</summary>
    public int CropSize { get; init; } = 224;

    /// <summary>RandomResizedCrop's area fraction range (ijepa's <c>crop_scale</c>).</summary>
    public (double Min, double Max) CropScale { get; init; } = (0.3, 1.0);

    /// <summary>RandomResizedCrop's aspect-ratio range (torchvision's default, which ijepa keeps).</summary>
    public (double Min, double Max) Ratio { get; init; } = (3.0 / 4.0, 4.0 / 3.0);

    /// <summary>False for evaluation: no randomness, the centred largest square is resized to CropSize.</summary>
    public bool RandomCrop { get; init; } = true;

    public bool HorizontalFlip { get; init; }

    /// <summary>Colour jitter (p = 0.8) then random grayscale (p = 0.2), ijepa's <c>get_color_distortion</c>.</summary>
    public bool ColorDistortion { get; init; }

    /// <summary>Strength s: brightness, contrast and saturation 0.8·s, hue 0.2·s.</summary>
    public double ColorJitterStrength { get; init; } = 1.0;

    /// <summary>Gaussian blur with p = 0.5 and sigma uniform in [0.1, 2.0], ijepa's <c>GaussianBlur</c>.</summary>
    public bool GaussianBlur { get; init; }

    /// <summary>Channels of the output; null keeps the dataset's. 1 → 3 repeats grey, 3 → 1 takes luma.</summary>
    public int? OutChannels { get; init; }

    /// <summary>Per-channel mean; null picks ImageNet for 3 channels and Fashion-MNIST for 1.</summary>
    public IReadOnlyList<float>? Mean { get; init; }

    /// <summary>Per-channel standard deviation; null as for <see cref="Mean"/>.</summary>
    public IReadOnlyList<float>? Std { get; init; }

    /// <summary>The deterministic transform for embedding and probing.</summary>
    public static AugmentOptions Eval(int cropSize) => new() { CropSize = cropSize, RandomCrop = false };

    /// <summary>The mean and std used for <paramref name="channels"/> output channels.</summary>
    public (float[] Mean, float[] Std) NormalizationFor(int channels)
    {
        float[] mean = Mean?.ToArray() ?? (channels == 1 ? FashionMnistMean : ImageNetMean);
        float[] std = Std?.ToArray() ?? (channels == 1 ? FashionMnistStd : ImageNetStd);
        if (mean.Length != channels || std.Length != channels)
            throw new ArgumentException($"normalisation has {mean.Length} means and {std.Length} stds for {channels} channels");
        return (mean, std);
    }

    /// <summary>Throws ArgumentException for values torchvision would refuse.</summary>
    public void Validate()
    {
        if (CropSize <= 0) throw new ArgumentException($"crop_size must be positive, got {CropSize}");
        if (!(CropScale.Min > 0 && CropScale.Min <= CropScale.Max && CropScale.Max <= 1))
            throw new ArgumentException($"crop_scale must satisfy 0 < min <= max <= 1, got ({CropScale.Min}, {CropScale.Max})");
        if (!(Ratio.Min > 0 && Ratio.Min <= Ratio.Max))
            throw new ArgumentException($"ratio must satisfy 0 < min <= max, got ({Ratio.Min}, {Ratio.Max})");
        if (ColorDistortion && !(ColorJitterStrength >= 0 && 0.2 * ColorJitterStrength <= 0.5))
            throw new ArgumentException($"color_jitter_strength must be in [0, 2.5] (hue 0.2·s ≤ 0.5), got {ColorJitterStrength}");
        if (OutChannels is not (null or 1 or 3)) throw new ArgumentException($"output channels must be 1 or 3, got {OutChannels}");
    }
}
