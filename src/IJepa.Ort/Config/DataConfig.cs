// The `data:` section of an ijepa config (facebookresearch/ijepa configs/*.yaml, src/transforms.py).
namespace IJepa.Ort.Config;

/// <summary>
/// <c>data:</c> — the data set and its augmentation. Upstream applies RandomResizedCrop(<c>crop_size</c>,
/// scale = <c>crop_scale</c>), then flip / colour distortion / blur when asked, then normalisation
/// (<c>ijepa_ort.mean</c>/<c>std</c>).
/// </summary>
public sealed record DataConfig
{
    /// <summary><c>use_gaussian_blur</c>: random Gaussian blur (p = 0.5). Default false.</summary>
    public bool UseGaussianBlur { get; init; }

    /// <summary><c>use_horizontal_flip</c>: random horizontal flip. Default false.</summary>
    public bool UseHorizontalFlip { get; init; }

    /// <summary><c>use_color_distortion</c>: SimCLR colour jitter (p = 0.8) and random grayscale (p = 0.2). Default false.</summary>
    public bool UseColorDistortion { get; init; }

    /// <summary><c>color_jitter_strength</c>: the jitter strength s of the colour distortion. Default 0.0 (the official configs' value).</summary>
    public double ColorJitterStrength { get; init; }

    /// <summary><c>batch_size</c>: images per step. Required: the official configs differ (16 to 128).</summary>
    public required int BatchSize { get; init; }

    /// <summary><c>pin_mem</c>: a torch DataLoader flag, kept so official configs load unchanged; nothing here depends on it. Default true.</summary>
    public bool PinMem { get; init; } = true;

    /// <summary><c>num_workers</c>: threads for the data loader (0 = load on the training thread). Default 10 (the official configs' value).</summary>
    public int NumWorkers { get; init; } = 10;

    /// <summary>
    /// <c>root_path</c>: the data directory. With <c>ijepa_ort.dataset: image_folder</c> the training images are read
    /// from <c>root_path/image_folder/train/</c>, as upstream does. Default null (the data loader then asks for it).
    /// </summary>
    public string? RootPath { get; init; }

    /// <summary><c>image_folder</c>: the folder under <see cref="RootPath"/>. Default null.</summary>
    public string? ImageFolder { get; init; }

    /// <summary><c>crop_size</c>: the square image side fed to the encoder, in pixels. Default 224 (upstream's <c>init_model</c> default).</summary>
    public int CropSize { get; init; } = 224;

    /// <summary><c>crop_scale</c>: RandomResizedCrop's area range, 0 &lt; min ≤ max ≤ 1. Default [0.3, 1.0].</summary>
    public (double Min, double Max) CropScale { get; init; } = (0.3, 1.0);
}
