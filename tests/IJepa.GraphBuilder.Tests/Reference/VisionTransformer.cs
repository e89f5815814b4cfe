// Upstream's VisionTransformer (context and target encoder): patch embedding + fixed pos table, optional token
// selection (the context mask), pre-LN blocks, final LayerNorm; forward and backward.
using IJepa.GraphBuilder.Models;

namespace IJepa.GraphBuilder.Tests.Reference;

internal sealed class VisionTransformer
{
    private readonly VitSpec spec;
    private readonly Linear patchEmbed;
    private readonly double[] posTable;   // [N, D]
    private readonly Block[] blocks;
    private readonly LayerNorm norm;
    private long[]? keep;
    private int batch, keepCount;

    public VisionTransformer(ParameterScope scope, VitSpec spec, double[] posTable, ReferenceGelu gelu)
    {
        this.spec = spec;
        this.posTable = posTable;
        // The Conv2d weight [D, C, p, p] read row-major is the Linear weight [D, C*p*p]: stride = kernel = patch.
        patchEmbed = Linear.At(scope.Child("patch_embed.proj"), spec.PatchDim, spec.EmbedDim);
        blocks = Enumerable.Range(0, spec.Depth)
            .Select(i => Block.At(scope.Child($"blocks.{i}"), spec.EmbedDim, spec.NumHeads, spec.MlpHidden, spec.LayerNormEps, gelu))
            .ToArray();
        norm = LayerNorm.At(scope.Child("norm"), spec.EmbedDim, spec.LayerNormEps);
    }

    /// <summary>[B, C, H, W] -> [B, N, C*p*p]: token t = row * grid + col, feature (c, i, j) = c*p*p + i*p + j.</summary>
    public static double[] Patchify(double[] images, int batch, VitSpec spec)
    {
        int g = spec.GridSize, p = spec.PatchSize, c = spec.InChans, img = spec.ImgSize, pd = spec.PatchDim;
        var patches = new double[batch * g * g * pd];
        for (int b = 0; b < batch; b++)
            for (int gy = 0; gy < g; gy++)
                for (int gx = 0; gx < g; gx++)
                    for (int ch = 0; ch < c; ch++)
                        for (int i = 0; i < p; i++)
                            for (int j = 0; j < p; j++)
                                patches[((b * g * g) + gy * g + gx) * pd + ch * p * p + i * p + j] =
                                    images[((b * c + ch) * img + gy * p + i) * img + gx * p + j];
        return patches;
    }

    /// <summary>patches [B, N, C*p*p], keep [B, K] or null (all N tokens) -> [B, K, D].</summary>
    public double[] Forward(double[] patches, int batch, long[]? keep, int keepCount)
    {
        this.batch = batch;
        this.keep = keep;
        this.keepCount = keep is null ? spec.NumPatches : keepCount;
        int n = spec.NumPatches, d = spec.EmbedDim;
        var x = patchEmbed.Forward(patches);   // [B, N, D]
        for (int b = 0; b < batch; b++)
            for (int i = 0; i < n * d; i++) x[b * n * d + i] += posTable[i];
        if (keep is not null) x = Tokens.Gather(x, batch, d, keep, keepCount);   // [B, K, D]
        foreach (var block in blocks) x = block.Forward(x, this.keepCount);
        return norm.Forward(x);
    }

    /// <summary>Accumulates the gradients of this encoder's parameters for dy [B, K, D].</summary>
    public void Backward(double[] dy)
    {
        var dx = norm.Backward(dy);
        for (int i = blocks.Length - 1; i >= 0; i--) dx = blocks[i].Backward(dx);
        if (keep is not null) dx = Tokens.ScatterAdd(dx, batch, spec.NumPatches, spec.EmbedDim, keep, keepCount);   // [B, N, D]
        patchEmbed.Backward(dx);
    }
}
