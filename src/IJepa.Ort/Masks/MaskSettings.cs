// The multi-block masking parameters (facebookresearch/ijepa src/masks/multiblock.py MaskCollator.__init__), on the patch grid.
namespace IJepa.Ort.Masks;

/// <summary>
/// The settings of <see cref="MultiBlockMaskCollator"/>: the patch grid and the <c>mask:</c> section. Scales are
/// fractions of the grid's area; <see cref="AspectRatio"/> applies to target blocks (context blocks are square in
/// expectation, aspect 1, as upstream). <see cref="UpstreamBounds"/> reproduces upstream's exclusive corner bound.
/// </summary>
public sealed record MaskSettings(
    int GridHeight,
    int GridWidth,
    (double Min, double Max) EncMaskScale,
    (double Min, double Max) PredMaskScale,
    (double Min, double Max) AspectRatio,
    int NumEncMasks = 1,
    int NumPredMasks = 4,
    int MinKeep = 10,
    bool AllowOverlap = false,
    bool UpstreamBounds = false)
{
    public int NumPatches => GridHeight * GridWidth;

    /// <summary>
    /// A block's size for the uniform draw <paramref name="u"/> ∈ [0, 1): one number sets both the scale and the
    /// aspect ratio; <c>h = round(√(n·ar))</c>, <c>w = round(√(n/ar))</c> with n = ⌊H·W·scale⌋ and Python's
    /// round-half-to-even, then shrunk until it fits strictly inside the grid (upstream's <c>_sample_block_size</c>).
    /// </summary>
    public BlockSize BlockSizeAt(double u, (double Min, double Max) scale, (double Min, double Max) aspectRatio)
    {
        double maskScale = scale.Min + u * (scale.Max - scale.Min);
        int maxKeep = (int)(GridHeight * GridWidth * maskScale);
        double ar = aspectRatio.Min + u * (aspectRatio.Max - aspectRatio.Min);
        int h = (int)Math.Round(Math.Sqrt(maxKeep * ar), MidpointRounding.ToEven);
        int w = (int)Math.Round(Math.Sqrt(maxKeep / ar), MidpointRounding.ToEven);
        // Upstream decrements until the block fits; clamping is the same and does not loop 2³¹ times for an extreme aspect ratio.
        h = Math.Min(h, GridHeight - 1);
        w = Math.Min(w, GridWidth - 1);
        return new BlockSize(Math.Max(h, 0), Math.Max(w, 0));
    }

    /// <summary>The smallest block the draws in [0, 1) can give (scanned on a 2⁻¹² lattice plus the largest draw).</summary>
    public BlockSize SmallestBlock((double Min, double Max) scale, (double Min, double Max) aspectRatio)
    {
        const int steps = 4096;
        var smallest = BlockSizeAt(0, scale, aspectRatio);
        for (int i = 1; i <= steps; i++)
        {
            double u = i < steps ? (double)i / steps : 1 - 1.0 / (1 << 24);
            var b = BlockSizeAt(u, scale, aspectRatio);
            if (b.Area < smallest.Area) smallest = b;
        }
        return smallest;
    }

    /// <summary>Every reason these settings cannot be sampled, as (config key, problem); empty when they can.</summary>
    public IEnumerable<(string Key, string Problem)> Problems()
    {
        if (GridHeight < 1 || GridWidth < 1)
        {
            yield return ("mask.patch_size", $"the patch grid {GridHeight}x{GridWidth} is empty");
            yield break;
        }
        bool ranges = true;
        foreach (var (key, r) in new[] { ("mask.enc_mask_scale", EncMaskScale), ("mask.pred_mask_scale", PredMaskScale) })
        {
            if (!(r.Min > 0 && r.Max <= 1)) { ranges = false; yield return (key, $"[{r.Min}, {r.Max}] must lie in (0, 1]"); }
            else if (r.Min > r.Max) { ranges = false; yield return (key, $"min {r.Min} is greater than max {r.Max}"); }
        }
        if (!(AspectRatio.Min > 0)) { ranges = false; yield return ("mask.aspect_ratio", $"[{AspectRatio.Min}, {AspectRatio.Max}] must be positive"); }
        else if (AspectRatio.Min > AspectRatio.Max) { ranges = false; yield return ("mask.aspect_ratio", $"min {AspectRatio.Min} is greater than max {AspectRatio.Max}"); }
        if (NumEncMasks != 1)
            yield return ("mask.num_enc_masks", $"only 1 context block is supported (every official config uses 1), got {NumEncMasks}");
        if (NumPredMasks < 1) yield return ("mask.num_pred_masks", $"must be at least 1, got {NumPredMasks}");
        if (MinKeep < 0) { ranges = false; yield return ("mask.min_keep", $"must be at least 0, got {MinKeep}"); }
        if (!ranges) yield break;

        // Upstream keeps a block only when it has more than min_keep patches, targets included, and retries forever.
        var target = SmallestBlock(PredMaskScale, AspectRatio);
        if (target.Area <= MinKeep)
            yield return ("mask.min_keep",
                $"{MinKeep} is not below the smallest target block ({target} = {target.Area} patches for pred_mask_scale " +
                $"[{PredMaskScale.Min}, {PredMaskScale.Max}] on the {GridHeight}x{GridWidth} grid): a block needs more than min_keep patches");
        var context = SmallestBlock(EncMaskScale, (1.0, 1.0));
        if (context.Area <= MinKeep)
            yield return ("mask.min_keep",
                $"{MinKeep} is not below the smallest context block ({context} = {context.Area} patches for enc_mask_scale " +
                $"[{EncMaskScale.Min}, {EncMaskScale.Max}] on the {GridHeight}x{GridWidth} grid): a block needs more than min_keep patches");
    }
}
