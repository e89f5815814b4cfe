// Multi-head self-attention (ijepa src/models/vision_transformer.py `Attention`).
using IJepa.GraphBuilder.Core;

namespace IJepa.GraphBuilder.Modules;

public static class Attention
{
    /// <summary>x [B, N, C] → [B, N, C] under scope "attn": qkv Linear, scaled dot-product softmax, proj.</summary>
    public static Value Build(Nn nn, Value x, int numHeads, bool qkvBias, double projInitScale)
    {
        var g = nn.G;
        int dim = (int)x.Shape[^1].Size, headDim = dim / numHeads;
        using var _ = g.Scope("attn");
        var qkv = nn.Linear("qkv", x, 3 * dim, bias: qkvBias);                                                        // [B, N, 3C]
        qkv = g.Reshape(qkv, 0, 0, 3, numHeads, headDim);                                               // [B, N, 3, H, hd]
        qkv = g.Transpose(qkv, 2, 0, 3, 1, 4);                                                          // [3, B, H, N, hd]
        var parts = g.Split(qkv, 0, 1, 1, 1);
        Value q = g.Squeeze(parts[0], 0), k = g.Squeeze(parts[1], 0), v = g.Squeeze(parts[2], 0);       // [B, H, N, hd]
        double scale = Math.Pow(headDim, -0.5);
        Value y;                                                                                        // [B, H, N, hd]
        if (nn.Numerics.FusedMatMul)
        {
            // kᵀ and the scale are flags of the products (and of their gradients): no transpose moves the head axis.
            var attn = g.Softmax(g.FusedMatMul(q, k, transB: true, alpha: scale), -1);                 // [B, H, N, N]
            y = g.FusedMatMul(attn, v);
        }
        else
        {
            var scores = g.Mul(g.MatMul(q, g.Transpose(k, 0, 1, 3, 2)), scale);                        // [B, H, N, N]
            y = g.MatMul(g.Softmax(scores, -1), v);
        }
        y = g.Transpose(y, 0, 2, 1, 3);                                                                 // [B, N, H, hd]
        y = g.Reshape(y, 0, 0, dim);                                                                    // [B, N, C]
        return nn.Linear("proj", y, dim, projInitScale);
    }
}
