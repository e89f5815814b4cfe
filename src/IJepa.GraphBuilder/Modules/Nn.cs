// The layer toolkit modules are written with: Linear, LayerNorm and GELU in the chosen numerics.
using IJepa.GraphBuilder.Core;
using IJepa.GraphBuilder.Models;

namespace IJepa.GraphBuilder.Modules;

/// <summary>
/// How layers are emitted. Float32 uses the fused ONNX LayerNormalization and exact (erf) Gelu, as upstream; the train
/// step's float32 also writes attention's products as com.microsoft FusedMatMul (transposes and scale as flags, run by
/// ORT's CPU and CUDA builds), while inference graphs (encoder, export) keep standard ops for any ONNX runtime.
/// Float64 (gradient checks, parity) builds LayerNorm from primitives, uses the tanh GELU and plain MatMul, because ORT
/// has no float64 Erf or FusedMatMul CPU kernel and LayerNormalization returns float statistics for double input
/// (docs/architecture.md §5).
/// </summary>
public sealed record Numerics(DType Type, bool FusedLayerNorm, bool ExactGelu, bool FusedMatMul)
{
    public static readonly Numerics Float32 = new(DType.Float, FusedLayerNorm: true, ExactGelu: true, FusedMatMul: false);
    public static readonly Numerics Float32Training = Float32 with { FusedMatMul = true };
    public static readonly Numerics Float64 = new(DType.Double, FusedLayerNorm: false, ExactGelu: false, FusedMatMul: false);
    public static Numerics For(Precision p) => p == Precision.Float64 ? Float64 : Float32;
    public static Numerics ForTraining(Precision p) => p == Precision.Float64 ? Float64 : Float32Training;
}

/// <summary>Emits layers into a graph; parameters are named by the graph's current scope.</summary>
public sealed class Nn(Graph graph, Numerics numerics)
{
    public Graph G { get; } = graph;
    public Numerics Numerics { get; } = numerics;
    public DType Type => Numerics.Type;

    public Value Param(string leaf, Dim[] shape, InitRule init, bool trainable = true) => G.Parameter(leaf, Type, shape, init, trainable);

    /// <summary>torch.nn.Linear under scope <paramref name="name"/>: x [..., in] → [..., out], weight [out, in].</summary>
    public Value Linear(string name, Value x, int outFeatures, double initScale = 1, bool bias = true)
    {
        int inFeatures = (int)x.Shape[^1].Size;
        using var _ = G.Scope(name);
        var w = Param("weight", [outFeatures, inFeatures], InitRule.TruncNormal(scale: initScale));      // [out, in]
        var b = bias ? Param("bias", [outFeatures], InitRule.Zeros) : null;                             // [out]
        return Affine(x, w, b, outFeatures);
    }

    /// <summary>y = x·wᵀ + b for x [..., in] and w [out, in], as one 2-D Gemm over the flattened rows.</summary>
    public Value Affine(Value x, Value w, Value? b, int outFeatures)
    {
        if (x.Rank == 2) return G.Gemm(x, w, b, transB: true);
        var rows = G.Reshape(x, -1, x.Shape[^1].Size);                                                // [R, in]
        var y = G.Gemm(rows, w, b, transB: true);                                                       // [R, out]
        var shape = G.Concat(0, G.ShapeOf(x, 0, -1), G.Ints(outFeatures));
        return G.Reshape(y, shape, [.. x.Shape[..^1], outFeatures]);                                    // [..., out]
    }

    /// <summary>torch.nn.LayerNorm over the last axis under scope <paramref name="name"/> (weight 1, bias 0).</summary>
    public Value LayerNorm(string name, Value x, double eps)
    {
        int dim = (int)x.Shape[^1].Size;
        using var _ = G.Scope(name);
        var w = Param("weight", [dim], InitRule.Ones);
        var b = Param("bias", [dim], InitRule.Zeros);
        return Normalize(x, eps, w, b);
    }

    /// <summary>Layer normalisation over the last axis with an optional affine (F.layer_norm when both are null).</summary>
    public Value Normalize(Value x, double eps, Value? weight = null, Value? bias = null)
    {
        if (Numerics.FusedLayerNorm)
        {
            var scale = weight ?? G.Constant(Ones(x.Shape[^1].Size));
            return G.LayerNormalization(x, scale, bias, eps).Y;
        }
        var mean = G.ReduceMean(x, [-1]);                                                               // [..., 1]
        var centered = G.Sub(x, mean);
        var variance = G.ReduceMean(G.Mul(centered, centered), [-1]);
        var y = G.Mul(centered, G.Reciprocal(G.Sqrt(G.Add(variance, eps))));
        if (weight is not null) y = G.Mul(y, weight);
        if (bias is not null) y = G.Add(y, bias);
        return y;
    }

    /// <summary>GELU: exact erf form (upstream) or, for float64, the tanh form from primitives.</summary>
    public Value Gelu(Value x)
    {
        if (Numerics.ExactGelu) return G.Gelu(x);
        const double k = 0.044715;
        var inner = G.Mul(G.Add(x, G.Mul(G.Mul(G.Mul(x, x), x), k)), Math.Sqrt(2 / Math.PI));
        return G.Mul(G.Mul(x, 0.5), G.Add(G.Tanh(inner), 1.0));
    }

    private TensorData Ones(long n) => Type == DType.Double
        ? TensorData.Of(Enumerable.Repeat(1.0, (int)n).ToArray(), n)
        : TensorData.Of(Enumerable.Repeat(1f, (int)n).ToArray(), n);
}
