// The inference encoder: images → patch features and average-pooled features (the paper's evaluation features).
using IJepa.GraphBuilder.Core;
using IJepa.GraphBuilder.Models;
using IJepa.GraphBuilder.Modules;
using N = IJepa.GraphBuilder.Recipes.ArtifactNames;

namespace IJepa.GraphBuilder.Recipes;

public static class EncoderRecipe
{
    /// <summary>Parameters are named "encoder.*"; the runtime binds the target or the context encoder's weights to them.</summary>
    public static Graph Build(ArtifactSpec spec)
    {
        var g = new Graph("ijepa_encoder");
        var nn = new Nn(g, Numerics.For(spec.Precision));
        var enc = spec.Encoder;
        var images = g.Input(N.Images, nn.Type, Dim.Sym(N.Batch), enc.InChans, enc.ImgSize, enc.ImgSize); // [B, C, H, W]
        Value features;
        using (g.Scope(N.EncoderScope, trainable: false))
            features = VisionTransformer.Build(nn, images, enc);                                        // [B, N, D]
        g.Output(features, N.Features);
        g.Output(g.ReduceMean(features, [1], keepDims: false), N.Pooled);                               // [B, D]
        return g;
    }
}
