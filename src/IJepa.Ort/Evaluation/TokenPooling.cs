// Patch tokens [Count, N, D] for the richer readouts: the grid readout's regional averages, and the raw pixels cut into
// patch tokens (so that the pixel baseline gets the same grid and attentive readouts as the encoders).
using System.Numerics.Tensors;
using IJepa.Ort.Errors;
namespace IJepa.Ort.Evaluation;

public static class TokenPooling
{
    /// <summary>
    /// Averages the tokens of a G×G patch grid (N = G², row-major, as the patch embedding flattens) over K×K regions and
    /// concatenates them region-row-major → [Count, K²·D]. Region i covers patch rows [⌊i·G/K⌋, ⌊(i+1)·G/K⌋) (columns
    /// likewise): disjoint, covering every patch, sizes differing by at most one (G = 7, K = 2: rows 0–2 and 3–6).
    /// </summary>
    public static FeatureSet Grid(FeatureSet tokens, int tokenCount, int k)
    {
        int g = GridSide(tokenCount), dim = tokens.Dim / tokenCount;
        if (k > g) throw new ConfigException($"--readout: grid:{k} asks for more regions per side than the {g}×{g} patch grid has");
        var data = new float[(long)tokens.Count * k * k * dim];
        for (int b = 0; b < tokens.Count; b++)
        {
            var row = tokens.Row(b);
            for (int ri = 0; ri < k; ri++)
                for (int ci = 0; ci < k; ci++)
                {
                    var into = data.AsSpan((b * k * k + ri * k + ci) * dim, dim);
                    var (r0, r1, c0, c1) = (ri * g / k, (ri + 1) * g / k, ci * g / k, (ci + 1) * g / k);
                    for (int r = r0; r < r1; r++)
                        for (int c = c0; c < c1; c++)
                            TensorPrimitives.Add(into, row.Slice((r * g + c) * dim, dim), into);
                    TensorPrimitives.Multiply(into, 1f / ((r1 - r0) * (c1 - c0)), into);
                }
        }
        return new FeatureSet(data, tokens.Count, k * k * dim, tokens.Labels, tokens.NumClasses);
    }

    /// <summary>
    /// Flattened images [Count, C·S·S] cut into non-overlapping p×p patches, row-major → tokens [Count, (S/p)², C·p·p],
    /// each token in (channel, row, column) order, as the patch embedding's convolution reads it.
    /// </summary>
    public static FeatureSet Patches(FeatureSet pixels, int channels, int size, int patch)
    {
        if (size % patch != 0 || channels * size * size != pixels.Dim)
            throw new ArgumentException($"{pixels.Dim} values are not {channels}×{size}×{size} images in {patch}×{patch} patches");
        int g = size / patch, width = channels * patch * patch;
        var data = new float[(long)pixels.Count * pixels.Dim];
        for (int b = 0; b < pixels.Count; b++)
        {
            var image = pixels.Row(b);
            var tokens = data.AsSpan(b * pixels.Dim, pixels.Dim);
            for (int pr = 0; pr < g; pr++)
                for (int pc = 0; pc < g; pc++)
                    for (int ch = 0; ch < channels; ch++)
                        for (int y = 0; y < patch; y++)
                            image.Slice((ch * size + pr * patch + y) * size + pc * patch, patch)
                                .CopyTo(tokens.Slice((pr * g + pc) * width + (ch * patch + y) * patch, patch));
        }
        return new FeatureSet(data, pixels.Count, pixels.Dim, pixels.Labels, pixels.NumClasses);
    }

    /// <summary>The side of a square patch grid of <paramref name="tokenCount"/> tokens.</summary>
    public static int GridSide(int tokenCount)
    {
        int g = (int)Math.Round(Math.Sqrt(tokenCount));
        return g * g == tokenCount ? g : throw new ArgumentException($"{tokenCount} tokens are not a square patch grid");
    }
}
