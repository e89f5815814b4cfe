// Small helpers for rewriting an exported ModelProto (precision conversions): nodes, attributes, initializers.
using Google.Protobuf;
using IJepa.GraphBuilder.Onnx;
using Onnx;
using AttrType = Onnx.AttributeProto.Types.AttributeType;

namespace IJepa.Ort.Export;

internal static class GraphEdit
{
    public static NodeProto Node(string opType, string name, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = name };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        return node;
    }

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttrType.Int, I = value };

    public static TensorProto Tensor(string name, TensorProto.Types.DataType type, long[] dims, ReadOnlySpan<byte> raw)
    {
        var t = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(raw) };
        t.Dims.AddRange(dims);
        return t;
    }

    /// <summary>The node's INT attribute, or <paramref name="fallback"/> when it has none.</summary>
    public static long IntAttribute(NodeProto node, string name, long fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.I : fallback;

    /// <summary>The node's FLOAT attribute, or <paramref name="fallback"/> when it has none.</summary>
    public static float FloatAttribute(NodeProto node, string name, float fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.F : fallback;

    /// <summary>Puts <paramref name="nodes"/> before every other node (they read initializers only).</summary>
    public static void Prepend(GraphProto graph, IEnumerable<NodeProto> nodes)
    {
        var rest = graph.Node.ToList();
        graph.Node.Clear();
        graph.Node.AddRange(nodes);
        graph.Node.AddRange(rest);
    }
}
