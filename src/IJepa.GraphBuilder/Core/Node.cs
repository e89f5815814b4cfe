// One ONNX operator application: op type, inputs, outputs and attributes.
namespace IJepa.GraphBuilder.Core;

public sealed class Node
{
    internal Node(string name, string domain, string opType, Value?[] inputs, IReadOnlyList<Attr> attributes)
    {
        Name = name; Domain = domain; OpType = opType; Inputs = inputs; Attributes = attributes;
    }

    /// <summary>The microsoft contrib domain (ops that ORT's CPU and CUDA builds both implement, e.g. FusedMatMul).</summary>
    public const string MicrosoftDomain = "com.microsoft";

    public string Name { get; }
    /// <summary>The operator set: "" for standard ONNX, or <see cref="MicrosoftDomain"/>.</summary>
    public string Domain { get; }
    public string OpType { get; }
    /// <summary>Inputs in ONNX order; null marks an omitted optional input.</summary>
    public Value?[] Inputs { get; }
    public Value[] Outputs { get; internal set; } = [];
    public IReadOnlyList<Attr> Attributes { get; }

    public Attr? Attribute(string name) => Attributes.FirstOrDefault(a => a.Name == name);
    public long Int(string name, long fallback) => Attribute(name)?.Value is long v ? v : fallback;
    public float Float(string name, float fallback) => Attribute(name)?.Value is float v ? v : fallback;
    public long[]? Ints(string name) => Attribute(name)?.Value as long[];
    public string? String(string name) => Attribute(name)?.Value as string;
    public Value Output => Outputs.Length == 1 ? Outputs[0] : throw new InvalidOperationException($"{OpType} has {Outputs.Length} outputs");
}

/// <summary>An attribute: long, float, string, long[], float[] or a constant <see cref="TensorData"/>.</summary>
public sealed record Attr(string Name, object Value)
{
    public static Attr Int(string name, long v) => new(name, v);
    public static Attr Float(string name, float v) => new(name, v);
    public static Attr Ints(string name, params long[] v) => new(name, v);
    public static Attr String(string name, string v) => new(name, v);
    public static Attr Tensor(string name, TensorData v) => new(name, v);
}

/// <summary>Constant tensor contents (for Constant nodes and exported initializers).</summary>
public sealed record TensorData(DType Type, long[] Dims, byte[] Raw)
{
    public static TensorData Of(float[] data, params long[] dims) => new(DType.Float, dims, System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()).ToArray());
    public static TensorData Of(double[] data, params long[] dims) => new(DType.Double, dims, System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()).ToArray());
    public static TensorData Of(long[] data, params long[] dims) => new(DType.Int64, dims, System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()).ToArray());

    /// <summary>A scalar of a floating type.</summary>
    public static TensorData Scalar(DType type, double v) => type switch
    {
        DType.Float => Of([(float)v]),
        DType.Double => Of([v]),
        DType.Int64 => Of([(long)v]),
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };
}
