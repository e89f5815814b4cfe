// The table of vector-Jacobian rules, one per ONNX op kind (tinygrad's gradient.py in spirit).
using IJepa.GraphBuilder.Core;

namespace IJepa.GraphBuilder.Autodiff;

/// <summary>Given the gradients of a node's outputs, emits the gradients of its inputs (null: none needed).</summary>
public delegate Value?[] GradRule(GradContext c, Value?[] dOut);

public static partial class GradRules
{
    private static readonly Dictionary<string, GradRule> Table = new()
    {
        ["Identity"] = Identity,
        ["Add"] = Add,
        ["Sub"] = Sub,
        ["Mul"] = Mul,
        ["Div"] = Div,
        ["Pow"] = Pow,
        ["Neg"] = Neg,
        ["Abs"] = Abs,
        ["Sqrt"] = Sqrt,
        ["Exp"] = Exp,
        ["Log"] = Log,
        ["Tanh"] = Tanh,
        ["Erf"] = Erf,
        ["Reciprocal"] = Reciprocal,
        ["Relu"] = Relu,
        ["Where"] = Where,
        ["Cast"] = Cast,
        ["Gelu"] = Gelu,
        ["MatMul"] = MatMul,
        ["Gemm"] = Gemm,
        ["FusedMatMul"] = FusedMatMul,
        ["Softmax"] = Softmax,
        ["LogSoftmax"] = LogSoftmax,
        ["LayerNormalization"] = LayerNormalization,
        ["ReduceSum"] = ReduceSum,
        ["ReduceMean"] = ReduceMean,
        ["Reshape"] = Reshape,
        ["Transpose"] = Transpose,
        ["Concat"] = Concat,
        ["Split"] = Split,
        ["Slice"] = Slice,
        ["Squeeze"] = Squeeze,
        ["Unsqueeze"] = Unsqueeze,
        ["Tile"] = Tile,
        ["Expand"] = Expand,
        ["Gather"] = Gather,
        ["GatherElements"] = GatherElements,
    };

    public static GradRule? For(string opType) => Table.GetValueOrDefault(opType);

    /// <summary>The op kinds that have a rule.</summary>
    public static IReadOnlyCollection<string> OpTypes => Table.Keys;
}
