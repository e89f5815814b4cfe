// The I-JEPA predictor (ijepa `VisionTransformerPredictor`): context tokens + mask tokens → predicted target features.
using IJepa.GraphBuilder.Core;
using IJepa.GraphBuilder.Models;

namespace IJepa.GraphBuilder.Modules;

public static class VisionTransformerPredictor
{
    /// <summary>
    /// context [B, Nc, D] at positions <paramref name="contextIndex"/> [B, Nc], targets <paramref name="flatTargets"/>
    /// [M·B, Nt] → predictions [M·B, Nt, D], block-major (row m·B + b is target block m of image b), under the
    /// caller's "predictor" scope.
    /// </summary>
    public static Value Build(Nn nn, Value context, Value contextIndex, Value flatTargets, VitSpec encoder, PredictorSpec spec, int numTargets)
    {
        var g = nn.G;
        int n = encoder.NumPatches, dp = spec.PredEmbDim;
        var posTable = nn.Param("predictor_pos_embed", [1, n, dp], InitRule.SinCos2D, trainable: false);  // [1, N, Dp]
        var maskToken = nn.Param("mask_token", [1, 1, dp], InitRule.TruncNormal());                     // [1, 1, Dp]
        var pos = g.Reshape(posTable, n, dp);                                                           // [N, Dp]

        var x = nn.Linear("predictor_embed", context, dp);                                              // [B, Nc, Dp]
        x = g.Add(x, g.Gather(pos, contextIndex));                                                      // [B, Nc, Dp]
        x = g.Tile(x, numTargets, 1, 1);                                                                // [M·B, Nc, Dp]

        var maskTokens = g.Add(g.Gather(pos, flatTargets), maskToken);                                  // [M·B, Nt, Dp]
        x = g.Concat(1, x, maskTokens);                                                                 // [M·B, Nc+Nt, Dp]

        double eps = encoder.LayerNormEps;
        int hidden = (int)(dp * encoder.MlpRatio);
        for (int i = 0; i < spec.PredDepth; i++)
            using (g.Scope("predictor_blocks", i))
                x = Block.Build(nn, x, spec.PredNumHeads, hidden, encoder.QkvBias, eps, i + 1);
        x = nn.LayerNorm("predictor_norm", x, eps);

        var sizes = g.Concat(0, g.ShapeOf(context, 1, 2), g.ShapeOf(flatTargets, 1, 2));
        var predicted = g.Split(x, 1, sizes, [context.Shape[1], flatTargets.Shape[1]])[1];              // [M·B, Nt, Dp]
        return nn.Linear("predictor_proj", predicted, encoder.EmbedDim);                                // [M·B, Nt, D]
    }
}
