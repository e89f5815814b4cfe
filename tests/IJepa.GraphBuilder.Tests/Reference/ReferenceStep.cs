// An independent plain-C# double-precision reference of one upstream I-JEPA step (facebookresearch/ijepa
// src/train.py train_step: forward + backward; no optimizer, no EMA), with a hand-written backward, for checking
// the generated ONNX graphs the way llm.c's test_gpt2.c checks its kernels. No ONNX, no ORT, no TorchSharp.
using IJepa.GraphBuilder.Models;

namespace IJepa.GraphBuilder.Tests.Reference;

public sealed class ReferenceStep
{
    /// <summary>torch F.layer_norm's default eps, which upstream's target normalisation uses (not the model's 1e-6).</summary>
    public const double TargetNormEps = 1e-5;

    private readonly VitSpec encoder;
    private readonly PredictorSpec predictor;
    private readonly int numPredMasks;
    private readonly ReferenceGelu gelu;

    public ReferenceStep(VitSpec encoder, PredictorSpec predictor, int numPredMasks, ReferenceGelu gelu)
    {
        if (encoder.Problem() is { } e) throw new ArgumentException($"encoder: {e}", nameof(encoder));
        if (predictor.Problem() is { } p) throw new ArgumentException($"predictor: {p}", nameof(predictor));
        if (numPredMasks < 1) throw new ArgumentOutOfRangeException(nameof(numPredMasks), numPredMasks, "need at least one target block");
        (this.encoder, this.predictor, this.numPredMasks, this.gelu) = (encoder, predictor, numPredMasks, gelu);
        Parameters = ReferenceParameters.For(encoder, predictor);
    }

    public VitSpec Encoder => encoder;
    public PredictorSpec Predictor => predictor;
    public int NumPredMasks => numPredMasks;

    /// <summary>Every parameter Run expects, by state-dict key.</summary>
    public IReadOnlyList<ReferenceParameter> Parameters { get; }

    /// <summary>
    /// Round the position tables to float32 before use, as upstream does (<c>torch.from_numpy(...).float()</c>) and so
    /// the oracle's float64 mode; off by default (the exact double table).
    /// </summary>
    public bool RoundPositionTablesToFloat32 { get; init; }

    /// <summary>
    /// One step: images [B, C, H, W], contextIndex [B, Nc], targetIndex [M, B, Nt] ((m, b, j) at (m*B + b)*Nt + j),
    /// patch numbers row-major over the grid.
    /// </summary>
    public ReferenceResult Run(IReadOnlyDictionary<string, double[]> parameters, double[] images, int batch,
                               long[] contextIndex, int nc, long[] targetIndex, int nt)
    {
        CheckInputs(images, batch, contextIndex, nc, targetIndex, nt);
        var ps = new ParameterSet(Parameters, parameters);
        var encPos = PositionTable(encoder.EmbedDim);
        var patches = VisionTransformer.Patchify(images, batch, encoder);   // [B, N, C*p*p]

        // Step 1. Forward. Target: full image, stop-gradient, layer_norm without affine, gather each target block.
        var target = new VisionTransformer(ps.Scope(ReferenceParameters.TargetEncoder), encoder, encPos, gelu);
        var targetOut = target.Forward(patches, batch, null, 0);   // [B, N, D]
        var h = LayerNorm.NoAffine(encoder.EmbedDim, TargetNormEps).Forward(targetOut);
        h = Tokens.Gather(h, batch, encoder.EmbedDim, targetIndex, nt);   // [M*B, Nt, D]

        // Context: encoder on the context tokens, predictor once per target block.
        var context = new VisionTransformer(ps.Scope(ReferenceParameters.Encoder), encoder, encPos, gelu);
        var pred = new Predictor(ps.Scope(ReferenceParameters.Predictor), encoder, predictor, PositionTable(predictor.PredEmbDim), gelu);
        var z = pred.Forward(context.Forward(patches, batch, contextIndex, nc), batch, contextIndex, nc, targetIndex, nt);
        var (loss, dz) = SmoothL1.Mean(z, h);

        // Step 2. Backward (into encoder.* and predictor.* only).
        context.Backward(pred.Backward(dz));
        return new ReferenceResult(loss, ps.Grads, h, z, targetOut);
    }

    private double[] PositionTable(int dim)
    {
        var table = SinCos2D(dim, encoder.GridSize);
        if (RoundPositionTablesToFloat32)
            for (int i = 0; i < table.Length; i++) table[i] = (float)table[i];
        return table;
    }

    /// <summary>
    /// MAE's get_2d_sincos_pos_embed(dim, grid, cls_token=False) in double: [grid*grid, dim], token t = h*grid + w;
    /// channels [0, dim/2) from the column w, [dim/2, dim) from the row h, each half [sin | cos](pos * omega_i),
    /// omega_i = 1 / 10000^(i / (dim/4)), i &lt; dim/4.
    /// </summary>
    public static double[] SinCos2D(int dim, int gridSize)
    {
        if (dim <= 0 || dim % 4 != 0) throw new ArgumentException($"dim {dim} must be a positive multiple of 4", nameof(dim));
        int half = dim / 2, quarter = dim / 4;
        var table = new double[gridSize * gridSize * dim];
        for (int h = 0; h < gridSize; h++)
            for (int w = 0; w < gridSize; w++)
            {
                int t = (h * gridSize + w) * dim;
                for (int i = 0; i < quarter; i++)
                {
                    double omega = 1.0 / Math.Pow(10000.0, (double)i / quarter);
                    table[t + i] = Math.Sin(w * omega);
                    table[t + quarter + i] = Math.Cos(w * omega);
                    table[t + half + i] = Math.Sin(h * omega);
                    table[t + half + quarter + i] = Math.Cos(h * omega);
                }
            }
        return table;
    }

    private void CheckInputs(double[] images, int batch, long[] contextIndex, int nc, long[] targetIndex, int nt)
    {
        if (batch < 1 || nc < 1 || nt < 1) throw new ArgumentException($"batch {batch}, Nc {nc}, Nt {nt} must be positive");
        int imageSize = encoder.InChans * encoder.ImgSize * encoder.ImgSize;
        if (images.Length != batch * imageSize)
            throw new ArgumentException($"images has {images.Length} values, expected [{batch}, {encoder.InChans}, {encoder.ImgSize}, {encoder.ImgSize}]");
        if (contextIndex.Length != batch * nc) throw new ArgumentException($"contextIndex has {contextIndex.Length} values, expected [{batch}, {nc}]");
        if (targetIndex.Length != numPredMasks * batch * nt)
            throw new ArgumentException($"targetIndex has {targetIndex.Length} values, expected [{numPredMasks}, {batch}, {nt}]");
        int n = encoder.NumPatches;
        if (contextIndex.Concat(targetIndex).Any(i => i < 0 || i >= n)) throw new ArgumentException($"an index lies outside [0, {n})");
    }
}
