// Patch embedding: the stride-p Conv2d of upstream, written as patchify + one Linear (the same math).
using IJepa.GraphBuilder.Core;
using IJepa.GraphBuilder.Models;

namespace IJepa.GraphBuilder.Modules;

public static class PatchEmbed
{
    /// <summary>images [B, C, H, W] → patches [B, N, C·p·p], row-major over the grid, each flattened (C, p, p) as Conv2d's weight.</summary>
    public static Value Patchify(Graph g, Value images, VitSpec spec)
    {
        int c = spec.InChans, p = spec.PatchSize, n = spec.GridSize;
        var x = g.Reshape(images, 0, c, n, p, n, p);                                                    // [B, C, gh, p, gw, p]
        x = g.Transpose(x, 0, 2, 4, 1, 3, 5);                                                           // [B, gh, gw, C, p, p]
        return g.Reshape(x, 0, spec.NumPatches, spec.PatchDim);                                         // [B, N, C·p·p]
    }

    /// <summary>patches [B, K, C·p·p] → [B, K, D] with the Conv2d parameters "patch_embed.proj.{weight [D, C, p, p], bias}".</summary>
    public static Value Project(Nn nn, Value patches, VitSpec spec)
    {
        var g = nn.G;
        using var _ = g.Scope("patch_embed");
        using var __ = g.Scope("proj");
        var w = nn.Param("weight", [spec.EmbedDim, spec.InChans, spec.PatchSize, spec.PatchSize], InitRule.TruncNormal());
        var b = nn.Param("bias", [spec.EmbedDim], InitRule.Zeros);
        var w2 = g.Reshape(w, spec.EmbedDim, spec.PatchDim);                                            // [D, C·p·p]
        return nn.Affine(patches, w2, b, spec.EmbedDim);                                                // [B, K, D]
    }
}
