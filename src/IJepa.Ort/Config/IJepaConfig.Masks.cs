// The multi-block masking settings a config asks for, on its patch grid.
using IJepa.Ort.Masks;

namespace IJepa.Ort.Config;

public sealed partial record IJepaConfig
{
    /// <summary>grid = <c>crop_size / patch_size</c>, the <c>mask:</c> section, <c>ijepa_ort.upstream_mask_bounds</c>.</summary>
    public MaskSettings Masking()
    {
        var m = Mask;
        int grid = m.PatchSize > 0 ? Data.CropSize / m.PatchSize : 0;
        return new MaskSettings(grid, grid, m.EncMaskScale, m.PredMaskScale, m.AspectRatio,
            m.NumEncMasks, m.NumPredMasks, m.MinKeep, m.AllowOverlap, IJepaOrt.UpstreamMaskBounds);
    }
}
