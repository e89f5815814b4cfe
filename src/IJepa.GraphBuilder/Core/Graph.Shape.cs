// Shape operators: reshape, transpose, concat/split/slice, squeeze/unsqueeze, tile/expand, shape queries.
namespace IJepa.GraphBuilder.Core;

public sealed partial class Graph
{
    /// <summary>Reshape to a constant target (0 copies the input dim, -1 is inferred, as in ONNX).</summary>
    public Value Reshape(Value x, params long[] target) => Emit1("Reshape", [x, Ints(target)], [], x.Type, InferReshape(x.Shape, target));

    /// <summary>Reshape to a runtime shape tensor whose static shape the caller knows.</summary>
    public Value Reshape(Value x, Value shape, Dim[] staticShape) => Emit1("Reshape", [x, shape], [], x.Type, staticShape);

    /// <summary>Reshape to the (runtime) shape of <paramref name="like"/>.</summary>
    public Value ReshapeLike(Value x, Value like) =>
        like.Shape.All(d => d.IsKnown) ? Reshape(x, like.Shape.Select(d => d.Size).ToArray()) : Reshape(x, ShapeOf(like), like.Shape);

    public Value Transpose(Value x, params long[] perm) =>
        Emit1("Transpose", [x], [Attr.Ints("perm", perm)], x.Type, perm.Select(p => x.Shape[p]).ToArray());

    /// <summary>Concatenation along <paramref name="axis"/>; int64 (shape) concatenations of the same parts are emitted once.</summary>
    public Value Concat(int axis, params Value[] parts)
    {
        int ax = Shape.Axis(axis, parts[0].Rank);
        var shape = (Dim[])parts[0].Shape.Clone();
        shape[ax] = Shape.Sum(parts.Select(p => p.Shape[ax]));
        if (parts[0].Type != DType.Int64) return Emit1("Concat", parts, [Attr.Int("axis", ax)], parts[0].Type, shape);
        return ShapeValue($"Concat|{ax}|{string.Join('|', parts.Select(p => p.Name))}",
            () => Emit1("Concat", parts, [Attr.Int("axis", ax)], parts[0].Type, shape));
    }

    /// <summary>Split along <paramref name="axis"/> into parts of constant sizes.</summary>
    public Value[] Split(Value x, int axis, params long[] sizes) =>
        Split(x, axis, Ints(sizes), sizes.Select(s => Dim.Of(s)).ToArray());

    /// <summary>Split along <paramref name="axis"/> by a runtime sizes tensor whose static values the caller knows.</summary>
    public Value[] Split(Value x, int axis, Value sizes, Dim[] staticSizes)
    {
        int ax = Shape.Axis(axis, x.Rank);
        var outs = staticSizes.Select(s => { var d = (Dim[])x.Shape.Clone(); d[ax] = s; return (x.Type, d); }).ToArray();
        return Emit("Split", [x, sizes], [Attr.Int("axis", ax)], outs).Outputs;
    }

    /// <summary>Slice with constant bounds on the given axes (step 1).</summary>
    public Value Slice(Value x, long[] starts, long[] ends, long[] axes)
    {
        var shape = (Dim[])x.Shape.Clone();
        for (int i = 0; i < axes.Length; i++)
        {
            int ax = Shape.Axis((int)axes[i], x.Rank);
            shape[ax] = SlicedDim(x.Shape[ax], starts[i], ends[i]);
        }
        return Emit1("Slice", [x, Ints(starts), Ints(ends), Ints(axes)], [], x.Type, shape);
    }

    public Value Squeeze(Value x, params long[] axes)
    {
        var drop = axes.Select(a => Shape.Axis((int)a, x.Rank)).ToHashSet();
        return Emit1("Squeeze", [x, Ints(axes)], [], x.Type, x.Shape.Where((_, i) => !drop.Contains(i)).ToArray());
    }

    public Value Unsqueeze(Value x, params long[] axes)
    {
        int rank = x.Rank + axes.Length;
        var insert = axes.Select(a => Shape.Axis((int)a, rank)).ToHashSet();
        var shape = new Dim[rank];
        for (int i = 0, j = 0; i < rank; i++) shape[i] = insert.Contains(i) ? 1 : x.Shape[j++];
        return Emit1("Unsqueeze", [x, Ints(axes)], [], x.Type, shape);
    }

    public Value Tile(Value x, params long[] repeats) =>
        Emit1("Tile", [x, Ints(repeats)], [], x.Type, x.Shape.Select((d, i) => d * Dim.Of(repeats[i])).ToArray());

    public Value Expand(Value x, Value shape, Dim[] staticShape) => Emit1("Expand", [x, shape], [], x.Type, staticShape);

    /// <summary>
    /// The runtime shape of <paramref name="x"/> (dims [start, end)): a constant when those dims are known, else one
    /// Shape node per distinct symbolic dims (equal symbols are equal at run time), shared by every later query.
    /// </summary>
    public Value ShapeOf(Value x, int start = 0, int? end = null)
    {
        int e = end ?? x.Rank;
        if (e < 0) e += x.Rank;
        var dims = x.Shape[start..e];
        if (dims.All(d => d.IsKnown)) return Ints(dims.Select(d => d.Size).ToArray());
        var attrs = new List<Attr>();
        if (start != 0) attrs.Add(Attr.Int("start", start));
        if (end is not null) attrs.Add(Attr.Int("end", e));
        return ShapeValue($"Shape|{string.Join(',', dims)}", () => Emit1("Shape", [x], attrs.ToArray(), DType.Int64, [Dim.Of(e - start)]));
    }

    /// <summary>A tensor of the runtime shape <paramref name="shape"/> filled with <paramref name="value"/> (emitted once per shape value).</summary>
    public Value ConstantOfShape(Value shape, Dim[] staticShape, DType type, double value = 0) =>
        ShapeValue($"ConstantOfShape|{shape.Name}|{type}|{value:R}|{string.Join(',', staticShape)}",
            () => Emit1("ConstantOfShape", [shape], [Attr.Tensor("value", TensorData.Scalar(type, value) with { Dims = [1] })], type, staticShape));

    /// <summary>The value cached under <paramref name="key"/>, emitted by <paramref name="emit"/> the first time.</summary>
    private Value ShapeValue(string key, Func<Value> emit)
    {
        if (!_shapeValues.TryGetValue(key, out var v)) _shapeValues[key] = v = emit();
        return v;
    }

    /// <summary>Zeros shaped like <paramref name="like"/>.</summary>
    public Value ZerosLike(Value like) => ConstantOfShape(ShapeOf(like), like.Shape, like.Type);

    /// <summary>Zero padding: <paramref name="pads"/> = begins then ends for every axis, as ONNX Pad.</summary>
    public Value Pad(Value x, long[] pads, Dim[] staticShape) =>
        Emit1("Pad", [x, Ints(pads)], [Attr.String("mode", "constant")], x.Type, staticShape);

    private static Dim SlicedDim(Dim d, long start, long end)
    {
        if (d.IsKnown)
        {
            long s = Math.Clamp(start < 0 ? start + d.Size : start, 0, d.Size);
            long e = Math.Clamp(end < 0 ? end + d.Size : end, 0, d.Size);
            return Math.Max(0, e - s);
        }
        if (start == 0 && end == long.MaxValue) return d;
        if (start >= 0 && end >= 0 && end != long.MaxValue) return end - start;
        throw new InvalidOperationException($"cannot slice symbolic dim {d} with [{start}, {end})");
    }

    private static Dim[] InferReshape(Dim[] input, long[] target)
    {
        var shape = new Dim[target.Length];
        int inferred = -1;
        for (int i = 0; i < target.Length; i++)
        {
            if (target[i] == -1) inferred = i;
            else shape[i] = target[i] == 0 ? input[i] : target[i];
        }
        if (inferred < 0) return shape;
        // The inferred dim: the input's factors with the other output dims cancelled.
        var symbols = input.Where(d => !d.IsKnown).Select(d => d.Symbol!).ToList();
        long numeric = input.Where(d => d.IsKnown).Aggregate(1L, (a, d) => a * d.Size);
        for (int i = 0; i < target.Length; i++)
        {
            if (i == inferred) continue;
            if (shape[i].IsKnown) numeric /= Math.Max(1, shape[i].Size);
            else if (!symbols.Remove(shape[i].Symbol!)) throw new InvalidOperationException($"cannot infer reshape of {Core.Shape.Format(input)} to [{string.Join(", ", target)}]");
        }
        shape[inferred] = symbols.Aggregate(Dim.Of(numeric), (a, s) => a * Dim.Sym(s));
        return shape;
    }
}
