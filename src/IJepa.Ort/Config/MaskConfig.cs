// The `mask:` section of an ijepa config (the arguments of facebookresearch/ijepa src/masks/multiblock.py).
namespace IJepa.Ort.Config;

/// <summary>
/// <c>mask:</c> — the multi-block masking strategy (<c>IJepa.Ort.Masks.MultiBlockMaskCollator</c>). Defaults are the
/// values all four official configs share (the paper's), except <c>patch_size</c>, which they do not share.
/// </summary>
public sealed record MaskConfig
{
    /// <summary><c>allow_overlap</c>: let the context block overlap the target blocks. Default false.</summary>
    public bool AllowOverlap { get; init; }

    /// <summary><c>patch_size</c>: ViT patch side in pixels; must divide <c>data.crop_size</c>. Default 16 (upstream's <c>init_model</c> default).</summary>
    public int PatchSize { get; init; } = 16;

    /// <summary><c>num_enc_masks</c>: context blocks per image. Only 1 is supported (every official config uses 1). Default 1.</summary>
    public int NumEncMasks { get; init; } = 1;

    /// <summary>
    /// <c>min_keep</c>: a sampled block is kept only when it has more than this many patches. Upstream applies the
    /// test to target blocks too, so every target block must be larger than <c>min_keep</c>. Default 10.
    /// </summary>
    public int MinKeep { get; init; } = 10;

    /// <summary><c>enc_mask_scale</c>: context block area as a fraction of the patch grid (aspect ratio 1). Default [0.85, 1.0].</summary>
    public (double Min, double Max) EncMaskScale { get; init; } = (0.85, 1.0);

    /// <summary><c>pred_mask_scale</c>: target block area as a fraction of the patch grid. Default [0.15, 0.2].</summary>
    public (double Min, double Max) PredMaskScale { get; init; } = (0.15, 0.2);

    /// <summary><c>aspect_ratio</c>: target block height/width range. Default [0.75, 1.5].</summary>
    public (double Min, double Max) AspectRatio { get; init; } = (0.75, 1.5);

    /// <summary><c>num_pred_masks</c>: target blocks per image. Default 4.</summary>
    public int NumPredMasks { get; init; } = 4;
}
