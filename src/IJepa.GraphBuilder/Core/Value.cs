// A tensor flowing through a graph: its name, element type and (symbolic) shape.
namespace IJepa.GraphBuilder.Core;

public sealed class Value
{
    internal Value(Graph graph, string name, DType type, Dim[] shape, Node? producer)
    {
        Graph = graph; Name = name; Type = type; Shape = shape; Producer = producer;
    }

    public Graph Graph { get; }
    public string Name { get; internal set; }
    public DType Type { get; }
    public Dim[] Shape { get; }
    public int Rank => Shape.Length;
    /// <summary>The node that computes this value; null for graph inputs.</summary>
    public Node? Producer { get; }

    public Dim this[int axis] => Shape[Core.Shape.Axis(axis, Rank)];

    public override string ToString() => $"{Name}: {Type} {Core.Shape.Format(Shape)}";
}
