// Rules for reductions: the gradient is broadcast back over the reduced axes.
using IJepa.GraphBuilder.Core;

namespace IJepa.GraphBuilder.Autodiff;

public static partial class GradRules
{
    private static Value?[] ReduceSum(GradContext c, Value?[] d) => [Unreduce(c, d[0]!)];

    private static Value?[] ReduceMean(GradContext c, Value?[] d)
    {
        var g = c.G;
        var x = c.X(0);
        var axes = ReducedAxes(c);
        var reduced = axes.Select(a => x.Shape[a]).ToArray();
        Value count = reduced.All(r => r.IsKnown)
            ? g.ScalarLike(x, reduced.Aggregate(1L, (p, r) => p * r.Size))
            : g.Cast(g.Emit1("ReduceProd", [g.Gather(g.ShapeOf(x), g.Ints(axes)), g.Ints(0)], [Attr.Int("keepdims", 0)], DType.Int64, []), x.Type);
        return [g.Div(Unreduce(c, d[0]!), count)];
    }

    /// <summary>The reduced axes: the constant axes input, or every axis when it is absent or empty (noop_with_empty_axes = 0).</summary>
    private static long[] ReducedAxes(GradContext c)
    {
        var x = c.X(0);
        if (c.Node.Int("noop_with_empty_axes", 0) != 0) throw new NotSupportedException($"{c.Node.Name}: gradient with noop_with_empty_axes");
        long[] axes = c.Node.Inputs.Length > 1 && c.Node.Inputs[1] is not null ? ConstInts(c, 1) : [];
        return axes.Length == 0
            ? Enumerable.Range(0, x.Rank).Select(i => (long)i).ToArray()
            : axes.Select(a => (long)Shape.Axis((int)a, x.Rank)).ToArray();
    }

    /// <summary>dy (reduced) → the input's shape, by unsqueezing dropped axes and expanding.</summary>
    private static Value Unreduce(GradContext c, Value dy)
    {
        var g = c.G;
        var x = c.X(0);
        if (c.Node.Int("keepdims", 1) == 0) dy = g.Unsqueeze(dy, ReducedAxes(c));
        return g.Expand(dy, g.ShapeOf(x), x.Shape);
    }
}
