// The encoder graph for evaluation on the last blocks: each of the last n blocks' outputs goes through the encoder's
// final LayerNorm, is averaged over patches, and the n vectors are concatenated (the paper's "last 4 layers" variant).
using IJepa.GraphBuilder.Core;
using IJepa.GraphBuilder.Models;
using IJepa.GraphBuilder.Modules;
using N = IJepa.GraphBuilder.Recipes.ArtifactNames;

namespace IJepa.Ort.Export;

public static class PooledBlocksRecipe
{
    /// <summary>
    /// images [B, C, H, W] → features [B, N, D] (as <c>EncoderRecipe</c>) and pooled [B, n·D], the last
    /// <paramref name="lastBlocks"/> blocks in order. Parameters are named <c>encoder.*</c>, as in the plain encoder graph.
    /// </summary>
    public static Graph Build(ArtifactSpec spec, int lastBlocks)
    {
        var enc = spec.Encoder;
        if (lastBlocks < 1 || lastBlocks > enc.Depth)
            throw new ArgumentOutOfRangeException(nameof(lastBlocks), $"{lastBlocks} blocks requested of an encoder with {enc.Depth}");
        var g = new Graph($"ijepa_encoder_last{lastBlocks}");
        var nn = new Nn(g, Numerics.For(spec.Precision));
        var images = g.Input(N.Images, nn.Type, Dim.Sym(N.Batch), enc.InChans, enc.ImgSize, enc.ImgSize); // [B, C, H, W]
        var blocks = new List<Value>();
        Value features;
        using (g.Scope(N.EncoderScope, trainable: false))
            features = VisionTransformer.Build(nn, images, enc, blockOutputs: blocks);                  // [B, N, D]
        var weight = ParameterNamed(g, $"{N.EncoderScope}.norm.weight");
        var bias = ParameterNamed(g, $"{N.EncoderScope}.norm.bias");
        var pooled = blocks.Skip(enc.Depth - lastBlocks)
            .Select(h => g.ReduceMean(nn.Normalize(h, enc.LayerNormEps, weight, bias), [1], keepDims: false)) // [B, D] each
            .ToArray();
        g.Output(features, N.Features);
        g.Output(pooled.Length == 1 ? pooled[0] : g.Concat(1, pooled), N.Pooled);                       // [B, n·D]
        return g;
    }

    private static Value ParameterNamed(Graph g, string name) => g.Parameters.First(p => p.Name == name).Value;
}
