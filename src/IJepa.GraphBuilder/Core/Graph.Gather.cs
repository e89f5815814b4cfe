// Index operators: token gathers and their scatter-add adjoints.
namespace IJepa.GraphBuilder.Core;

public sealed partial class Graph
{
    /// <summary>ONNX Gather: output = data[:axis] + indices.shape + data[axis+1:]. Not batched across axis 0.</summary>
    public Value Gather(Value data, Value indices, int axis = 0)
    {
        int ax = Shape.Axis(axis, data.Rank);
        var shape = data.Shape.Take(ax).Concat(indices.Shape).Concat(data.Shape.Skip(ax + 1)).ToArray();
        return Emit1("Gather", [data, indices], [Attr.Int("axis", ax)], data.Type, shape);
    }

    /// <summary>ONNX GatherElements: output[i][j][k] = data[i][idx[i][j][k]][k] for axis 1; output has the index shape.</summary>
    public Value GatherElements(Value data, Value indices, int axis) =>
        Emit1("GatherElements", [data, indices], [Attr.Int("axis", Shape.Axis(axis, data.Rank))], data.Type, indices.Shape);

    /// <summary>ONNX ScatterElements with a reduction ("none" or "add", which accumulates duplicates).</summary>
    public Value ScatterElements(Value data, Value indices, Value updates, int axis, string reduction = "add") =>
        Emit1("ScatterElements", [data, indices, updates],
            [Attr.Int("axis", Shape.Axis(axis, data.Rank)), Attr.String("reduction", reduction)], data.Type, data.Shape);

    /// <summary>Selects tokens per batch row: x [B, N, D], index [B, K] → [B, K, D] (batched, exact).</summary>
    public Value GatherTokens(Value x, Value index)
    {
        var expanded = ExpandIndex(index, x);                                   // [B, K, D]
        return GatherElements(x, expanded, axis: 1);
    }

    /// <summary>The index [B, K] broadcast over the feature axis of <paramref name="x"/> [B, N, D] → [B, K, D].</summary>
    public Value ExpandIndex(Value index, Value x)
    {
        var shape = Concat(0, ShapeOf(index), ShapeOf(x, 2));                 // [B, K, D]
        return Expand(Unsqueeze(index, 2), shape, [index.Shape[0], index.Shape[1], x.Shape[2]]);
    }
}
