// The I-JEPA encoder (ijepa `VisionTransformer`): patch embedding + fixed pos embedding, pre-LN blocks, final norm.
using IJepa.GraphBuilder.Core;
using IJepa.GraphBuilder.Models;

namespace IJepa.GraphBuilder.Modules;

public static class VisionTransformer
{
    /// <summary>
    /// images [B, C, H, W] → [B, K, D] under the caller's scope ("encoder", "target_encoder"). With
    /// <paramref name="keep"/> [B, K] only those patches are encoded (upstream's apply_masks after the position
    /// embedding); we gather the raw patches first, which is the same math because both embeddings act per patch.
    /// <paramref name="blockOutputs"/>, when given, receives each block's output [B, K, D] before the final norm
    /// (evaluation features from the last blocks).
    /// </summary>
    public static Value Build(Nn nn, Value images, VitSpec spec, Value? keep = null, IList<Value>? blockOutputs = null)
    {
        var g = nn.G;
        var pos = nn.Param("pos_embed", [1, spec.NumPatches, spec.EmbedDim], InitRule.SinCos2D, trainable: false);  // [1, N, D]
        var patches = PatchEmbed.Patchify(g, images, spec);                                             // [B, N, C·p·p]
        Value x;
        if (keep is null)
            x = g.Add(PatchEmbed.Project(nn, patches, spec), pos);                                      // [B, N, D]
        else
        {
            var kept = g.GatherTokens(patches, keep);                                                   // [B, K, C·p·p]
            var keptPos = g.Gather(g.Reshape(pos, spec.NumPatches, spec.EmbedDim), keep);               // [B, K, D]
            x = g.Add(PatchEmbed.Project(nn, kept, spec), keptPos);                                     // [B, K, D]
        }
        for (int i = 0; i < spec.Depth; i++)
            using (g.Scope("blocks", i))
            {
                x = Block.Build(nn, x, spec.NumHeads, spec.MlpHidden, spec.QkvBias, spec.LayerNormEps, i + 1);
                blockOutputs?.Add(x);
            }
        return nn.LayerNorm("norm", x, spec.LayerNormEps);                                              // [B, K, D]
    }
}
