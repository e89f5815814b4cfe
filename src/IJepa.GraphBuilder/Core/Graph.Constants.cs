// Constant tensors (shapes, axes, scalars), emitted once per graph and shared.
namespace IJepa.GraphBuilder.Core;

public sealed partial class Graph
{
    /// <summary>A Constant node holding <paramref name="data"/>; identical constants are emitted once.</summary>
    public Value Constant(TensorData data)
    {
        string key = $"{data.Type}|{string.Join(',', data.Dims)}|{Convert.ToHexString(data.Raw)}";
        if (_constants.TryGetValue(key, out var existing)) return existing;
        var v = Emit1("Constant", [], [Attr.Tensor("value", data)], data.Type, data.Dims.Select(Dim.Of).ToArray());
        _constants[key] = v;
        return v;
    }

    /// <summary>A 1-D int64 constant (shapes, axes, starts, …).</summary>
    public Value Ints(params long[] values) => Constant(TensorData.Of(values, values.Length));

    /// <summary>A scalar constant of the given type.</summary>
    public Value Scalar(double value, DType type) => Constant(TensorData.Scalar(type, value));

    /// <summary>A scalar constant with the element type of <paramref name="like"/>.</summary>
    public Value ScalarLike(Value like, double value) => Scalar(value, like.Type);
}
