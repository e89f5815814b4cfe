// Fixed test problems for the reference step: the oracle's toy preset and a wider one, with generic weights.
using IJepa.GraphBuilder.Models;

namespace IJepa.GraphBuilder.Tests.Reference;

internal sealed record ReferenceCase(
    ReferenceStep Step, Dictionary<string, double[]> Parameters, double[] Images, int Batch,
    long[] ContextIndex, int Nc, long[] TargetIndex, int Nt)
{
    /// <summary>The oracle's toy preset: img 8, patch 4 (4 tokens), 3 channels, dim 8, depth 1, 2 heads, predictor
    /// 8/1/2; B 2, Nc 2, M 2, Nt 1.</summary>
    public static ReferenceCase Toy(ReferenceGelu gelu, int seed = 1)
    {
        var encoder = new VitSpec(ImgSize: 8, PatchSize: 4, InChans: 3, EmbedDim: 8, Depth: 1, NumHeads: 2);
        return Make(encoder, new PredictorSpec(8, 1, 2), gelu, seed, batch: 2, nc: 2, m: 2, nt: 1);
    }

    /// <summary>9 tokens, 2 channels, dim 12, depth 2, 3 heads, mlp ratio 2.5, no qkv bias; predictor 8/2/4 (its own
    /// head count); B 2, Nc 4, M 3, Nt 2, target blocks drawn independently (they overlap each other and the context).</summary>
    public static ReferenceCase Wide(ReferenceGelu gelu, int seed = 2)
    {
        var encoder = new VitSpec(ImgSize: 12, PatchSize: 4, InChans: 2, EmbedDim: 12, Depth: 2, NumHeads: 3, MlpRatio: 2.5, QkvBias: false);
        return Make(encoder, new PredictorSpec(8, 2, 4), gelu, seed, batch: 2, nc: 4, m: 3, nt: 2);
    }

    private static ReferenceCase Make(VitSpec encoder, PredictorSpec predictor, ReferenceGelu gelu, int seed, int batch, int nc, int m, int nt) => new(
        new ReferenceStep(encoder, predictor, m, gelu),
        ReferenceInit.Parameters(encoder, predictor, seed),
        ReferenceInit.Images(encoder, batch, seed + 100),
        batch,
        ReferenceInit.Indices(batch, nc, encoder.NumPatches, seed + 200), nc,
        ReferenceInit.Indices(m * batch, nt, encoder.NumPatches, seed + 300), nt);

    public ReferenceResult Run() => Run(Parameters);

    public ReferenceResult Run(IReadOnlyDictionary<string, double[]> parameters) =>
        Step.Run(parameters, Images, Batch, ContextIndex, Nc, TargetIndex, Nt);
}
