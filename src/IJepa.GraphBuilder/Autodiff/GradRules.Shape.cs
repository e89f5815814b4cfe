// Rules for shape ops: each moves the gradient back through the inverse rearrangement.
using IJepa.GraphBuilder.Core;

namespace IJepa.GraphBuilder.Autodiff;

public static partial class GradRules
{
    private static Value?[] Reshape(GradContext c, Value?[] d) => [c.G.ReshapeLike(d[0]!, c.X(0)), null];

    private static Value?[] Transpose(GradContext c, Value?[] d)
    {
        var perm = c.Node.Ints("perm")!;
        var inverse = new long[perm.Length];
        for (int i = 0; i < perm.Length; i++) inverse[perm[i]] = i;
        return [c.G.Transpose(d[0]!, inverse)];
    }

    private static Value?[] Concat(GradContext c, Value?[] d)
    {
        var g = c.G;
        int axis = (int)c.Node.Int("axis", 0);
        var parts = c.Node.Inputs.Select(i => i!).ToArray();
        var sizes = parts.Select(p => p.Shape[axis]).ToArray();
        var pieces = sizes.All(s => s.IsKnown)
            ? g.Split(d[0]!, axis, sizes.Select(s => s.Size).ToArray())
            : g.Split(d[0]!, axis, g.Concat(0, parts.Select(p => g.ShapeOf(p, axis, axis + 1)).ToArray()), sizes);
        return pieces.Select((p, i) => c.Needs(i) ? p : null).ToArray();
    }

    private static Value?[] Split(GradContext c, Value?[] d)
    {
        var g = c.G;
        int axis = (int)c.Node.Int("axis", 0);
        var parts = d.Select((v, i) => v ?? g.ZerosLike(c.Y(i))).ToArray();
        return [g.Concat(axis, parts), null];
    }

    // The slice's gradient is zero-padded back to the input's extent (input dims on sliced axes must be known).
    private static Value?[] Slice(GradContext c, Value?[] d)
    {
        var x = c.X(0);
        long[] starts = ConstInts(c, 1), ends = ConstInts(c, 2), axes = ConstInts(c, 3);
        if (c.Node.Inputs.Length > 4) throw new NotSupportedException($"{c.Node.Name}: Slice gradient with steps");
        var pads = new long[2 * x.Rank];
        for (int i = 0; i < axes.Length; i++)
        {
            int ax = Shape.Axis((int)axes[i], x.Rank);
            var dim = x.Shape[ax];
            if (!dim.IsKnown) throw new NotSupportedException($"{c.Node.Name}: Slice gradient over symbolic axis {ax}");
            long s = Math.Clamp(starts[i] < 0 ? starts[i] + dim.Size : starts[i], 0, dim.Size);
            long e = Math.Clamp(ends[i] < 0 ? ends[i] + dim.Size : ends[i], 0, dim.Size);
            pads[ax] = s;
            pads[x.Rank + ax] = dim.Size - e;
        }
        return [c.G.Pad(d[0]!, pads, x.Shape), null, null, null];
    }

    private static Value?[] Squeeze(GradContext c, Value?[] d) => [c.G.ReshapeLike(d[0]!, c.X(0)), null];
    private static Value?[] Unsqueeze(GradContext c, Value?[] d) => [c.G.ReshapeLike(d[0]!, c.X(0)), null];

    // Tile lays repeats outermost per axis: view dy as [r0, d0, r1, d1, …] and sum the r axes.
    private static Value?[] Tile(GradContext c, Value?[] d)
    {
        var g = c.G;
        var x = c.X(0);
        var repeats = ConstInts(c, 1);
        var split = new List<Value>();
        var splitShape = new List<Dim>();
        for (int i = 0; i < x.Rank; i++)
        {
            split.Add(g.Ints(repeats[i]));
            split.Add(x.Shape[i].IsKnown ? g.Ints(x.Shape[i].Size) : g.ShapeOf(x, i, i + 1));
            splitShape.Add(repeats[i]);
            splitShape.Add(x.Shape[i]);
        }
        var view = g.Reshape(d[0]!, g.Concat(0, split.ToArray()), splitShape.ToArray());
        var axes = Enumerable.Range(0, x.Rank).Select(i => 2L * i).ToArray();
        return [g.ReduceSum(view, axes, keepDims: false), null];
    }

    private static Value?[] Expand(GradContext c, Value?[] d) => [c.Unbroadcast(d[0]!, c.X(0)), null];

    /// <summary>The values of a constant int64 input.</summary>
    private static long[] ConstInts(GradContext c, int input) =>
        c.Node.Inputs[input]?.Producer?.Attribute("value")?.Value is TensorData t
            ? System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(t.Raw).ToArray()
            : throw new NotSupportedException($"{c.Node.Name}: input {input} must be a constant for its gradient");
}
