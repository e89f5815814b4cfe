// The encoder graph for evaluation on the last blocks: each of the last n blocks' outputs goes through the encoder's
// final LayerNorm, is averaged over patches, and the n vectors are concatenated (the paper's "last 4 layers" variant);
// the normed tokens themselves, concatenated along the width, serve the grid and attentive readouts.
using IJepa.GraphBuilder.Core;
using IJepa.GraphBuilder.Models;
using IJepa.GraphBuilder.Modules;
using N = IJepa.GraphBuilder.Recipes.ArtifactNames;

namespace IJepa.Ort.Export;

public static class PooledBlocksRecipe
{
    /// <summary>The last blocks' normed tokens, concatenated along the width: [B, N, n·D].</summary>
    public const string BlockTokens = "block_tokens";

    /// <summary>
    /// images [B, C, H, W] → features [B, N, D] (as <c>EncoderRecipe</c>), pooled [B, n·D] and block_tokens [B, N, n·D], the last
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
        var normed = blocks.Skip(enc.Depth - lastBlocks).Select(h => nn.Normalize(h, enc.LayerNormEps, weight, bias)).ToArray(); // [B, N, D] each
        var pooled = normed.Select(h => g.ReduceMean(h, [1], keepDims: false)).ToArray();              // [B, D] each
        g.Output(features, N.Features);
        g.Output(pooled.Length == 1 ? pooled[0] : g.Concat(1, pooled), N.Pooled);                       // [B, n·D]
        g.Output(normed.Length == 1 ? g.Identity(normed[0]) : g.Concat(2, normed), BlockTokens);        // [B, N, n·D]
        return g;
    }

    private static Value ParameterNamed(Graph g, string name) => g.Parameters.First(p => p.Name == name).Value;
}
