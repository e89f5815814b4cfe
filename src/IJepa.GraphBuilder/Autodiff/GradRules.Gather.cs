// Rules for index ops: a gather's gradient is a scatter-add into zeros (duplicates accumulate).
using IJepa.GraphBuilder.Core;

namespace IJepa.GraphBuilder.Autodiff;

public static partial class GradRules
{
    private static Value?[] GatherElements(GradContext c, Value?[] d)
    {
        var g = c.G;
        int axis = (int)c.Node.Int("axis", 0);
        return [g.ScatterElements(g.ZerosLike(c.X(0)), c.X(1), d[0]!, axis, "add"), null];
    }

    // Gather on axis 0 of data [N, …] with indices of any shape: ScatterND-add of the flattened rows.
    private static Value?[] Gather(GradContext c, Value?[] d)
    {
        var g = c.G;
        if (c.Node.Int("axis", 0) != 0) throw new NotSupportedException($"{c.Node.Name}: Gather gradient on an axis other than 0");
        var data = c.X(0);
        var rowShape = data.Shape.Skip(1).ToArray();
        var index = g.Reshape(c.X(1), -1, 1);                                     // [K, 1]
        var rows = g.Reshape(d[0]!, g.Concat(0, g.Ints(-1), g.ShapeOf(data, 1)), [index.Shape[0], .. rowShape]); // [K, …]
        var scattered = g.Emit1("ScatterND", [g.ZerosLike(data), index, rows], [Attr.String("reduction", "add")], data.Type, data.Shape);
        return [scattered, null];
    }
}
