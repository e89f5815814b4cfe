// Serialises a built Graph to an ONNX ModelProto (IR 10, opset 21; the classes of the OnnxSharp package, generated from
// onnx.proto3: zero-valued scalars are not written, which readers take as their default) — deterministic bytes for the same graph.
using Google.Protobuf;
using IJepa.GraphBuilder.Core;
using Onnx;

namespace IJepa.GraphBuilder.Onnx;

public static class OnnxWriter
{
    public const long IrVersion = 10;
    public const long Opset = 21;
    public const string Producer = "ijepa-ort";

    /// <summary>The model proto; <paramref name="initializers"/> (name → data) turn inputs of those names into weights.</summary>
    public static ModelProto ToModel(Graph graph, IReadOnlyDictionary<string, string>? metadata = null,
                                     IReadOnlyDictionary<string, TensorData>? initializers = null)
    {
        var g = new GraphProto { Name = graph.Name };
        foreach (var input in graph.Inputs)
        {
            if (initializers is not null && initializers.TryGetValue(input.Name, out var data))
                g.Initializer.Add(ToTensor(input.Name, data));
            else
                g.Input.Add(ToValueInfo(input.Name, input.Type, input.Shape));
        }
        foreach (var node in graph.Nodes) g.Node.Add(ToNode(node));
        foreach (var (value, name) in graph.Outputs) g.Output.Add(ToValueInfo(name, value.Type, value.Shape));

        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = Producer,
            Graph = g,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model;
    }

    public static byte[] ToBytes(Graph graph, IReadOnlyDictionary<string, string>? metadata = null,
                                 IReadOnlyDictionary<string, TensorData>? initializers = null) =>
        ToModel(graph, metadata, initializers).ToByteArray();

    private static NodeProto ToNode(Node node)
    {
        var proto = new NodeProto { Name = node.Name, OpType = node.OpType };
        proto.Input.AddRange(node.Inputs.Select(i => i?.Name ?? ""));
        proto.Output.AddRange(node.Outputs.Select(o => o.Name));
        foreach (var attr in node.Attributes) proto.Attribute.Add(ToAttribute(attr));
        return proto;
    }

    private static AttributeProto ToAttribute(Attr attr)
    {
        var a = new AttributeProto { Name = attr.Name };
        switch (attr.Value)
        {
            case long i: a.Type = AttributeProto.Types.AttributeType.Int; a.I = i; break;
            case float f: a.Type = AttributeProto.Types.AttributeType.Float; a.F = f; break;
            case string s: a.Type = AttributeProto.Types.AttributeType.String; a.S = ByteString.CopyFromUtf8(s); break;
            case long[] ints: a.Type = AttributeProto.Types.AttributeType.Ints; a.Ints.AddRange(ints); break;
            case float[] floats: a.Type = AttributeProto.Types.AttributeType.Floats; a.Floats.AddRange(floats); break;
            case TensorData t: a.Type = AttributeProto.Types.AttributeType.Tensor; a.T = ToTensor(null, t); break;
            default: throw new InvalidOperationException($"attribute {attr.Name}: unsupported value {attr.Value.GetType().Name}");
        }
        return a;
    }

    public static TensorProto ToTensor(string? name, TensorData data)
    {
        // The proto shares the caller's bytes (a ViT-H encoder holds 2.5 GB of them); TensorData is never written after.
        var t = new TensorProto { DataType = (int)data.Type, RawData = UnsafeByteOperations.UnsafeWrap(data.Raw) };
        if (name is not null) t.Name = name;
        t.Dims.AddRange(data.Dims);
        return t;
    }

    private static ValueInfoProto ToValueInfo(string name, DType type, Dim[] shape)
    {
        var tensorShape = new TensorShapeProto();
        foreach (var d in shape)
        {
            var dim = new TensorShapeProto.Types.Dimension();
            if (d.IsKnown) dim.DimValue = d.Size;
            else if (IsIdentifier(d.Symbol!)) dim.DimParam = d.Symbol!;
            tensorShape.Dim.Add(dim);
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = tensorShape } },
        };
    }

    private static bool IsIdentifier(string s) => s.All(c => char.IsLetterOrDigit(c) || c == '_');
}
