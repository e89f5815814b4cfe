// Neural-network operators: matrix products (incl. FusedMatMul), softmax and log-softmax, layer normalisation.
namespace IJepa.GraphBuilder.Core;

public sealed partial class Graph
{
    /// <summary>Batched matrix product [..., M, K] × [..., K, N] → [..., M, N] with broadcast batch dims.</summary>
    public Value MatMul(Value a, Value b)
    {
        if (a.Rank < 2 || b.Rank < 2) throw new InvalidOperationException($"MatMul needs rank ≥ 2: {a}, {b}");
        var batch = Shape.Broadcast(a.Shape[..^2], b.Shape[..^2]);
        return Emit1("MatMul", [a, b], [], a.Type, [.. batch, a.Shape[^2], b.Shape[^1]]);
    }

    /// <summary>
    /// com.microsoft FusedMatMul: alpha·op(A)·op(B) with op a transpose of the last two axes where asked, batch dims
    /// broadcast as MatMul's (ORT runs it on CPU and CUDA without materialising the transposes; float32 only on CPU).
    /// </summary>
    public Value FusedMatMul(Value a, Value b, bool transA = false, bool transB = false, double alpha = 1)
    {
        if (a.Rank < 2 || b.Rank < 2) throw new InvalidOperationException($"FusedMatMul needs rank ≥ 2: {a}, {b}");
        var batch = Shape.Broadcast(a.Shape[..^2], b.Shape[..^2]);
        Dim m = transA ? a.Shape[^1] : a.Shape[^2];
        Dim n = transB ? b.Shape[^2] : b.Shape[^1];
        Attr[] attrs = [Attr.Float("alpha", (float)alpha), Attr.Int("transA", transA ? 1 : 0), Attr.Int("transB", transB ? 1 : 0)];
        return EmitIn(Node.MicrosoftDomain, "FusedMatMul", [a, b], attrs, (a.Type, [.. batch, m, n])).Outputs[0];
    }

    /// <summary>Gemm: alpha·op(A)·op(B) + beta·C on 2-D A and B.</summary>
    public Value Gemm(Value a, Value b, Value? c = null, bool transA = false, bool transB = false, double alpha = 1, double beta = 1)
    {
        Dim m = transA ? a.Shape[1] : a.Shape[0];
        Dim n = transB ? b.Shape[0] : b.Shape[1];
        var attrs = new List<Attr>();
        if (transA) attrs.Add(Attr.Int("transA", 1));
        if (transB) attrs.Add(Attr.Int("transB", 1));
        if (alpha != 1) attrs.Add(Attr.Float("alpha", (float)alpha));
        if (beta != 1) attrs.Add(Attr.Float("beta", (float)beta));
        return Emit1("Gemm", c is null ? [a, b] : [a, b, c], attrs.ToArray(), a.Type, [m, n]);
    }

    public Value Softmax(Value x, int axis = -1) =>
        Emit1("Softmax", [x], [Attr.Int("axis", Shape.Axis(axis, x.Rank))], x.Type, x.Shape);

    /// <summary>LogSoftmax-13: x − log Σ exp(x) along <paramref name="axis"/>, computed stably by the runtime.</summary>
    public Value LogSoftmax(Value x, int axis = -1) =>
        Emit1("LogSoftmax", [x], [Attr.Int("axis", Shape.Axis(axis, x.Rank))], x.Type, x.Shape);

    /// <summary>LayerNormalization-17 over the last axis: (Y, Mean, InvStdDev); the statistics are float (stash type).</summary>
    public (Value Y, Value Mean, Value InvStdDev) LayerNormalization(Value x, Value scale, Value? bias, double epsilon)
    {
        var statShape = x.Shape.Select((d, i) => i == x.Rank - 1 ? Dim.Of(1) : d).ToArray();
        var node = Emit("LayerNormalization", bias is null ? [x, scale] : [x, scale, bias],
            [Attr.Int("axis", -1), Attr.Float("epsilon", (float)epsilon)],
            (x.Type, x.Shape), (DType.Float, statShape), (DType.Float, statShape));
        return (node.Outputs[0], node.Outputs[1], node.Outputs[2]);
    }
}
