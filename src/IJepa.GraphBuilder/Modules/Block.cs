// The pre-LN transformer block and its MLP (ijepa `Block`, `MLP`).
using IJepa.GraphBuilder.Core;

namespace IJepa.GraphBuilder.Modules;

public static class Block
{
    /// <summary>
    /// x + attn(norm1(x)), then + mlp(norm2(x)), under the caller's "blocks.i" scope. <paramref name="layerId"/> is i + 1:
    /// upstream's fix_init_weight divides attn.proj and mlp.fc2 weights by √(2·layer_id).
    /// </summary>
    public static Value Build(Nn nn, Value x, int numHeads, int mlpHidden, bool qkvBias, double eps, int layerId)
    {
        var g = nn.G;
        double rescale = 1 / Math.Sqrt(2.0 * layerId);
        x = g.Add(x, Attention.Build(nn, nn.LayerNorm("norm1", x, eps), numHeads, qkvBias, rescale));
        return g.Add(x, Mlp(nn, nn.LayerNorm("norm2", x, eps), mlpHidden, rescale));
    }

    /// <summary>fc1 → GELU → fc2 under scope "mlp".</summary>
    public static Value Mlp(Nn nn, Value x, int hidden, double fc2InitScale)
    {
        int dim = (int)x.Shape[^1].Size;
        using var _ = nn.G.Scope("mlp");
        var h = nn.Gelu(nn.Linear("fc1", x, hidden));                                                   // [B, N, hidden]
        return nn.Linear("fc2", h, dim, fc2InitScale);                                                  // [B, N, D]
    }
}
