// Rules for matrix products (MatMul, FusedMatMul, Gemm), softmax and log-softmax, and layer normalisation.
using IJepa.GraphBuilder.Core;

namespace IJepa.GraphBuilder.Autodiff;

public static partial class GradRules
{
    // Y = A·B: dA = dY·Bᵀ, dB = Aᵀ·dY (summed over broadcast batch dims)
    private static Value?[] MatMul(GradContext c, Value?[] d)
    {
        var g = c.G;
        Value a = c.X(0), b = c.X(1), dy = d[0]!;
        Value? da = null, db = null;
        if (c.Needs(0)) da = c.Unbroadcast(g.MatMul(dy, SwapLast(g, b)), a);
        if (c.Needs(1))
        {
            if (b.Rank == 2 && a.Rank > 2 && a.Shape[^1].IsKnown && dy.Shape[^1].IsKnown)
                // a weight shared across the batch: one 2-D product over the flattened rows
                db = g.Gemm(g.Reshape(a, -1, a.Shape[^1].Size), g.Reshape(dy, -1, dy.Shape[^1].Size), transA: true);
            else
                db = c.Unbroadcast(g.MatMul(SwapLast(g, a), dy), b);
        }
        return [da, db];
    }

    private static Value SwapLast(Graph g, Value x)
    {
        var perm = Enumerable.Range(0, x.Rank).Select(i => (long)i).ToArray();
        (perm[^1], perm[^2]) = (perm[^2], perm[^1]);
        return g.Transpose(x, perm);
    }

    // Y = α·op(A)·op(B): dA = α·dY·op(B)ᵀ (stored transposed when transA), dB = α·op(A)ᵀ·dY (likewise); the transposes
    // are FusedMatMul flags, never materialised.
    private static Value?[] FusedMatMul(GradContext c, Value?[] d)
    {
        var g = c.G;
        Value a = c.X(0), b = c.X(1), dy = d[0]!;
        bool ta = c.Node.Int("transA", 0) != 0, tb = c.Node.Int("transB", 0) != 0;
        if (c.Node.Int("transBatchA", 0) != 0 || c.Node.Int("transBatchB", 0) != 0)
            throw new NotSupportedException($"{c.Node.Name}: FusedMatMul gradient with transBatch");
        double alpha = c.Node.Float("alpha", 1);
        Value? da = null, db = null;
        if (c.Needs(0))
            da = c.Unbroadcast(ta ? g.FusedMatMul(b, dy, transA: tb, transB: true, alpha: alpha)
                                  : g.FusedMatMul(dy, b, transB: !tb, alpha: alpha), a);
        if (c.Needs(1))
            db = c.Unbroadcast(tb ? g.FusedMatMul(dy, a, transA: true, transB: ta, alpha: alpha)
                                  : g.FusedMatMul(a, dy, transA: !ta, alpha: alpha), b);
        return [da, db];
    }

    // Y = α·op(A)·op(B) + β·C
    private static Value?[] Gemm(GradContext c, Value?[] d)
    {
        var g = c.G;
        Value a = c.X(0), b = c.X(1), dy = d[0]!;
        bool ta = c.Node.Int("transA", 0) != 0, tb = c.Node.Int("transB", 0) != 0;
        double alpha = c.Node.Float("alpha", 1), beta = c.Node.Float("beta", 1);
        Value? da = null, db = null, dc = null;
        if (c.Needs(0)) da = ta ? g.Gemm(b, dy, transA: tb, transB: true, alpha: alpha) : g.Gemm(dy, b, transB: !tb, alpha: alpha);
        if (c.Needs(1)) db = tb ? g.Gemm(dy, a, transA: true, transB: ta, alpha: alpha) : g.Gemm(a, dy, transA: !ta, alpha: alpha);
        if (c.Needs(2)) dc = c.Unbroadcast(beta == 1 ? dy : g.Mul(dy, beta), c.X(2));
        return [da, db, dc];
    }

    // dx = y ⊙ (dy − Σ(dy ⊙ y))
    private static Value?[] Softmax(GradContext c, Value?[] d)
    {
        var g = c.G;
        var y = c.Y();
        long axis = c.Node.Int("axis", -1);
        var dot = g.ReduceSum(g.Mul(d[0]!, y), [axis], keepDims: true);
        return [g.Mul(y, g.Sub(d[0]!, dot))];
    }

    // y = x − log Σ exp(x): dx = dy − exp(y) · Σ dy
    private static Value?[] LogSoftmax(GradContext c, Value?[] d)
    {
        var g = c.G;
        long axis = c.Node.Int("axis", -1);
        var total = g.ReduceSum(d[0]!, [axis], keepDims: true);
        return [g.Sub(d[0]!, g.Mul(g.Exp(c.Y()), total))];
    }

    // x̂ = (x − μ)·r; y = x̂·γ + β. dx = r·(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)), dx̂ = dy·γ; dγ = Σ dy·x̂; dβ = Σ dy
    private static Value?[] LayerNormalization(GradContext c, Value?[] d)
    {
        if (d.Length > 1 && (d.Skip(1).Any(v => v is not null)))
            throw new NotSupportedException($"{c.Node.Name}: gradients through LayerNormalization's Mean/InvStdDev outputs");
        if (c.Node.Int("axis", -1) is not (-1) && c.Node.Int("axis", -1) != c.X(0).Rank - 1)
            throw new NotSupportedException($"{c.Node.Name}: LayerNormalization gradient over more than the last axis");
        var g = c.G;
        Value x = c.X(0), dy = d[0]!;
        var mean = g.Cast(c.Y(1), x.Type);                                       // [..., 1]
        var inv = g.Cast(c.Y(2), x.Type);                                        // [..., 1]
        var xhat = g.Mul(g.Sub(x, mean), inv);
        Value? dx = null, dScale = null, dBias = null;
        if (c.Needs(0))
        {
            var dxhat = g.Mul(dy, c.X(1));
            var m1 = g.ReduceMean(dxhat, [-1]);
            var m2 = g.ReduceMean(g.Mul(dxhat, xhat), [-1]);
            dx = g.Mul(g.Sub(g.Sub(dxhat, m1), g.Mul(xhat, m2)), inv);
        }
        if (c.Needs(1)) dScale = g.SumLeading(g.Mul(dy, xhat), x.Rank - 1);
        if (c.Needs(2)) dBias = g.SumLeading(dy, x.Rank - 1);
        return [dx, dScale, dBias];
    }
}
