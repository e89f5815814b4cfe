// Upstream's VisionTransformerPredictor with one context mask and M target masks, forward and backward.
// Sequences are block-major: sequence m*B + b = context of image b followed by the mask tokens of its target block m.
using IJepa.GraphBuilder.Models;

namespace IJepa.GraphBuilder.Tests.Reference;

internal sealed class Predictor
{
    private readonly int dim, predDim;
    private readonly Linear embed, proj;
    private readonly double[] maskToken;    // [Dp]
    private readonly double[]? dMaskToken;
    private readonly double[] posTable;     // [N, Dp]
    private readonly Block[] blocks;
    private readonly LayerNorm norm;
    private int batch, nc, nt, rows;

    public Predictor(ParameterScope scope, VitSpec encoder, PredictorSpec spec, double[] posTable, ReferenceGelu gelu)
    {
        dim = encoder.EmbedDim;
        predDim = spec.PredEmbDim;
        this.posTable = posTable;
        embed = Linear.At(scope.Child("predictor_embed"), dim, predDim);
        maskToken = scope.Value("mask_token");
        dMaskToken = scope.Grad("mask_token");
        int hidden = ReferenceParameters.PredictorHidden(encoder, spec);
        blocks = Enumerable.Range(0, spec.PredDepth)
            .Select(i => Block.At(scope.Child($"predictor_blocks.{i}"), predDim, spec.PredNumHeads, hidden, encoder.LayerNormEps, gelu))
            .ToArray();
        norm = LayerNorm.At(scope.Child("predictor_norm"), predDim, encoder.LayerNormEps);
        proj = Linear.At(scope.Child("predictor_proj"), predDim, dim);
    }

    /// <summary>context [B, Nc, D] at contextIndex [B, Nc]; targetIndex [M, B, Nt] -> prediction [M*B, Nt, D].</summary>
    public double[] Forward(double[] context, int batch, long[] contextIndex, int nc, long[] targetIndex, int nt)
    {
        (this.batch, this.nc, this.nt) = (batch, nc, nt);
        rows = targetIndex.Length / nt;   // M*B
        int len = nc + nt;
        var e = embed.Forward(context);   // [B, Nc, Dp]
        var ctxPos = Tokens.Gather(posTable, 1, predDim, contextIndex, nc);
        for (int i = 0; i < e.Length; i++) e[i] += ctxPos[i];
        var tgtPos = Tokens.Gather(posTable, 1, predDim, targetIndex, nt);   // [M*B, Nt, Dp]
        var x = new double[rows * len * predDim];   // [M*B, Nc + Nt, Dp]
        for (int r = 0; r < rows; r++)
        {
            Array.Copy(e, (r % batch) * nc * predDim, x, r * len * predDim, nc * predDim);   // x.repeat(M, 1, 1)
            for (int j = 0; j < nt; j++)
                for (int c = 0; c < predDim; c++)
                    x[(r * len + nc + j) * predDim + c] = maskToken[c] + tgtPos[(r * nt + j) * predDim + c];
        }
        foreach (var block in blocks) x = block.Forward(x, len);
        x = norm.Forward(x);
        var last = new double[rows * nt * predDim];   // keep the mask tokens: [M*B, Nt, Dp]
        for (int r = 0; r < rows; r++) Array.Copy(x, (r * len + nc) * predDim, last, r * nt * predDim, nt * predDim);
        return proj.Forward(last);   // [M*B, Nt, D]
    }

    /// <summary>Accumulates the predictor's gradients for dPrediction [M*B, Nt, D]; returns dContext [B, Nc, D].</summary>
    public double[] Backward(double[] dPrediction)
    {
        int len = nc + nt;
        var dLast = proj.Backward(dPrediction);
        var dx = new double[rows * len * predDim];
        for (int r = 0; r < rows; r++) Array.Copy(dLast, r * nt * predDim, dx, (r * len + nc) * predDim, nt * predDim);
        dx = norm.Backward(dx);
        for (int i = blocks.Length - 1; i >= 0; i--) dx = blocks[i].Backward(dx);
        var de = new double[batch * nc * predDim];
        for (int r = 0; r < rows; r++)
        {
            for (int i = 0; i < nc * predDim; i++) de[(r % batch) * nc * predDim + i] += dx[r * len * predDim + i];
            if (dMaskToken is null) continue;
            for (int j = 0; j < nt; j++)
                for (int c = 0; c < predDim; c++) dMaskToken[c] += dx[(r * len + nc + j) * predDim + c];
        }
        return embed.Backward(de);
    }
}
