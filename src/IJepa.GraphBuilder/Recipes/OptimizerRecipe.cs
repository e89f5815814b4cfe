// AdamW over flat buffers (torch.optim.AdamW, as ijepa uses it), in standard ONNX ops.
using IJepa.GraphBuilder.Core;
using N = IJepa.GraphBuilder.Recipes.ArtifactNames;

namespace IJepa.GraphBuilder.Recipes;

public static class OptimizerRecipe
{
    public const double Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8;

    /// <summary>
    /// params, grads, m, v, wd_mask [P]; lr, wd, step (1-based) scalars → params_out, m_out, v_out. torch's order:
    /// p ← p·(1 − lr·wd·mask); m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²;
    /// p ← p − (lr / (1−β1^t)) · m / (√v / √(1−β2^t) + ε).
    /// The bias corrections are folded into scalars, m / (√v / c2 + ε) = c2 · m / (√v + ε·c2) with c2 = √(1−β2^t), so
    /// each step makes 15 passes over the flat buffers (the graph is memory-bound; equal up to float rounding).
    /// </summary>
    public static Graph Build(DType type)
    {
        var g = new Graph("adamw");
        Dim p = Dim.Sym(N.FlatLength);
        var param = g.Input(N.Params, type, p);
        var grad = g.Input(N.Grads, type, p);
        var m = g.Input(N.AdamM, type, p);
        var v = g.Input(N.AdamV, type, p);
        var mask = g.Input(N.DecayMask, type, p);
        var lr = g.Input(N.LearningRate, type);
        var wd = g.Input(N.WeightDecay, type);
        var step = g.Input(N.Step, type);

        var one = g.ScalarLike(lr, 1.0);
        var bias1 = g.Sub(one, g.Pow(g.ScalarLike(step, Beta1), step));                                 // scalars
        var c2 = g.Sqrt(g.Sub(one, g.Pow(g.ScalarLike(step, Beta2), step)));
        var stepSize = g.Mul(g.Div(lr, bias1), c2);
        var epsilon = g.Mul(c2, Epsilon);

        var decayed = g.Mul(param, g.Sub(one, g.Mul(mask, g.Mul(lr, wd))));                           // [P]
        var mNew = g.Add(g.Mul(m, Beta1), g.Mul(grad, 1 - Beta1));
        var vNew = g.Add(g.Mul(v, Beta2), g.Mul(g.Mul(grad, grad), 1 - Beta2));
        var direction = g.Div(mNew, g.Add(g.Sqrt(vNew), epsilon));
        var updated = g.Sub(decayed, g.Mul(direction, stepSize));

        g.Output(updated, N.Updated(N.Params));
        g.Output(mNew, N.Updated(N.AdamM));
        g.Output(vNew, N.Updated(N.AdamV));
        return g;
    }
}
