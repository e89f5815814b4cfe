// Reductions over chosen axes (opset 18+: axes are an input).
namespace IJepa.GraphBuilder.Core;

public sealed partial class Graph
{
    public Value ReduceSum(Value x, long[] axes, bool keepDims = true) => Reduce("ReduceSum", x, axes, keepDims);
    public Value ReduceMean(Value x, long[] axes, bool keepDims = true) => Reduce("ReduceMean", x, axes, keepDims);
    public Value ReduceMax(Value x, long[] axes, bool keepDims = true) => Reduce("ReduceMax", x, axes, keepDims);

    /// <summary>Reduction over every axis to a scalar.</summary>
    public Value ReduceMeanAll(Value x) => ReduceMean(x, Enumerable.Range(0, x.Rank).Select(i => (long)i).ToArray(), keepDims: false);

    private Value Reduce(string op, Value x, long[] axes, bool keepDims)
    {
        if (axes.Length == 0) axes = Enumerable.Range(0, x.Rank).Select(i => (long)i).ToArray();   // ONNX: empty axes reduce all
        var normalised = axes.Select(a => (long)Shape.Axis((int)a, x.Rank)).Distinct().Order().ToArray();
        var shape = new List<Dim>();
        for (int i = 0; i < x.Rank; i++)
        {
            if (!normalised.Contains(i)) shape.Add(x.Shape[i]);
            else if (keepDims) shape.Add(1);
        }
        return Emit1(op, [x, Ints(normalised)], [Attr.Int("keepdims", keepDims ? 1 : 0)], x.Type, shape.ToArray());
    }
}
