// Losses and target processing of the I-JEPA step (ijepa src/train.py `forward_target`, `loss_fn`).
using IJepa.GraphBuilder.Core;

namespace IJepa.GraphBuilder.Modules;

public static class Losses
{
    /// <summary>F.smooth_l1_loss(pred, target) with β = 1, mean over every element → scalar.</summary>
    public static Value SmoothL1(Graph g, Value prediction, Value target)
    {
        var d = g.Sub(prediction, target);
        var ad = g.Abs(d);
        var quadratic = g.Mul(g.Mul(d, d), 0.5);
        var linear = g.Sub(ad, 0.5);
        return g.ReduceMeanAll(g.Where(g.Less(ad, g.ScalarLike(ad, 1.0)), quadratic, linear));
    }

    /// <summary>
    /// Target features: F.layer_norm over D (no affine, torch's default eps 1e-5) of h [B, N, D], then for each target
    /// block m and image b the rows <paramref name="flatTargets"/>[m·B + b] → [M·B, Nt, D] block-major.
    /// </summary>
    public static Value Targets(Nn nn, Value h, Value flatTargets, int numTargets) =>
        SelectBlocks(nn.G, nn.Normalize(h, 1e-5), flatTargets, numTargets);

    /// <summary>
    /// The data2vec target (Baevski et al. 2022, the <c>ijepa_ort.target_blocks</c> lever): the mean over
    /// <paramref name="blocks"/> (the target encoder's last K block outputs, each [B, N, D], taken before the final
    /// <c>norm</c>, which plays no part) of F.layer_norm over D without affine (eps 1e-5): each block is normalised on
    /// its own, then averaged; the average is not normalised again. data2vec's paper takes the FFN output before each
    /// block's last residual; we take the block output (the residual stream), which the encoder exposes. Then the
    /// target rows as <see cref="Targets"/> → [M·B, Nt, D].
    /// </summary>
    public static Value LayerAverageTargets(Nn nn, IReadOnlyList<Value> blocks, Value flatTargets, int numTargets)
    {
        var g = nn.G;
        var sum = nn.Normalize(blocks[0], 1e-5);                                                         // [B, N, D]
        foreach (var block in blocks.Skip(1)) sum = g.Add(sum, nn.Normalize(block, 1e-5));
        return SelectBlocks(g, g.Mul(sum, 1.0 / blocks.Count), flatTargets, numTargets);                // [M·B, Nt, D]
    }

    private static Value SelectBlocks(Graph g, Value normed, Value flatTargets, int numTargets)
    {
        var tiled = g.Tile(normed, numTargets, 1, 1);                                                   // [M·B, N, D]
        return g.GatherTokens(tiled, flatTargets);                                                      // [M·B, Nt, D]
    }

    /// <summary>Target indices [M, B, Nt] → [M·B, Nt] (row m·B + b), the layout of upstream's apply_masks.</summary>
    public static Value FlattenBlocks(Graph g, Value targetIndex) =>
        g.Reshape(targetIndex, g.Concat(0, g.Ints(-1), g.ShapeOf(targetIndex, 2)),
            [targetIndex.Shape[0] * targetIndex.Shape[1], targetIndex.Shape[2]]);
}
