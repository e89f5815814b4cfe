// int8 export: the weight of every linear layer (Gemm with a constant [out, in] weight, transB = 1) becomes int8 with one
// symmetric scale per output channel, scale = max|w_row| / 127. Two ways to compute with it (Int8Scheme):
//   Dynamic: rows → DynamicQuantizeLinear (uint8) → MatMulInteger(·, wᵀ int8) → Cast → Mul(x_scale · w_scale) → Add(bias),
//            the pattern ONNX Runtime fuses into DynamicQuantizeMatMul;
//   Qdq:     DequantizeLinear(w int8, w_scale, axis 0) → the original float Gemm (weight-only quantization).
// The patch embedding (Conv), LayerNorms and position table stay float32.
using System.Runtime.InteropServices;
using IJepa.GraphBuilder.Onnx;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace IJepa.Ort.Export;

public static class Int8Weights
{
    /// <summary>Returns the number of linear layers quantized.</summary>
    public static int Apply(ModelProto model, Int8Scheme scheme)
    {
        var graph = model.Graph;
        var weights = graph.Initializer.ToDictionary(t => t.Name);
        var uses = graph.Node.SelectMany(n => n.Input).GroupBy(i => i).ToDictionary(g => g.Key, g => g.Count());
        var nodes = new List<NodeProto>();
        var dequantize = new List<NodeProto>();
        int quantized = 0;
        foreach (var node in graph.Node)
        {
            if (!IsLinear(node, weights, uses, out var weight))
            {
                nodes.Add(node);
                continue;
            }
            var (q, scales) = Quantize(weight);                                           // [out, in], [out]
            long outF = weight.Dims[0], inF = weight.Dims[1];
            graph.Initializer.Remove(weight);
            graph.Initializer.Add(GraphEdit.Tensor(weight.Name + ".scale", DataType.Float, [outF], MemoryMarshal.AsBytes(scales.AsSpan())));
            graph.Initializer.Add(GraphEdit.Tensor(weight.Name + ".zero_point", DataType.Int8, [outF], new byte[outF]));
            if (scheme == Int8Scheme.Qdq)
            {
                graph.Initializer.Add(GraphEdit.Tensor(weight.Name + ".int8", DataType.Int8, [outF, inF], MemoryMarshal.AsBytes(q.AsSpan())));
                dequantize.Add(GraphEdit.Node("DequantizeLinear", weight.Name + ".dequantize",
                    [weight.Name + ".int8", weight.Name + ".scale", weight.Name + ".zero_point"], [weight.Name], GraphEdit.Int("axis", 0)));
                nodes.Add(node);
            }
            else
            {
                graph.Initializer.Add(GraphEdit.Tensor(weight.Name + ".int8_t", DataType.Int8, [inF, outF], MemoryMarshal.AsBytes(Transpose(q, (int)outF, (int)inF).AsSpan())));
                nodes.AddRange(DynamicLinear(node, weight.Name));
            }
            quantized++;
        }
        graph.Node.Clear();
        graph.Node.AddRange(dequantize);
        graph.Node.AddRange(nodes);
        return quantized;
    }

    /// <summary>Gemm(A, W, bias?) with W a float [out, in] initializer used once, transB = 1, alpha = beta = 1, transA = 0.</summary>
    private static bool IsLinear(NodeProto node, Dictionary<string, TensorProto> weights, Dictionary<string, int> uses, out TensorProto weight)
    {
        weight = null!;
        if (node.OpType != "Gemm" || node.Input.Count < 2) return false;
        if (!weights.TryGetValue(node.Input[1], out var w) || w.DataType != (int)DataType.Float || w.Dims.Count != 2 || uses[w.Name] != 1) return false;
        if (GraphEdit.IntAttribute(node, "transB", 0) != 1 || GraphEdit.IntAttribute(node, "transA", 0) != 0) return false;
        if (GraphEdit.FloatAttribute(node, "alpha", 1) != 1 || GraphEdit.FloatAttribute(node, "beta", 1) != 1) return false;
        weight = w;
        return true;
    }

    /// <summary>y = (MatMulInteger(quantize(a), wᵀ) as float) · (a_scale · w_scale) + bias, under the Gemm's name and output.</summary>
    private static IEnumerable<NodeProto> DynamicLinear(NodeProto gemm, string weight)
    {
        string p = gemm.Name + ".int8", a = gemm.Input[0], y = gemm.Output[0];
        bool bias = gemm.Input.Count > 2 && gemm.Input[2].Length > 0;
        yield return GraphEdit.Node("DynamicQuantizeLinear", p + ".quantize", [a], [p + ".a", p + ".a_scale", p + ".a_zero_point"]);
        yield return GraphEdit.Node("MatMulInteger", p + ".matmul", [p + ".a", weight + ".int8_t", p + ".a_zero_point", weight + ".zero_point"], [p + ".acc"]);
        yield return GraphEdit.Node("Cast", p + ".cast", [p + ".acc"], [p + ".acc_float"], GraphEdit.Int("to", (long)DataType.Float));
        yield return GraphEdit.Node("Mul", p + ".scales", [p + ".a_scale", weight + ".scale"], [p + ".scale"]);
        yield return GraphEdit.Node("Mul", p + ".rescale", [p + ".acc_float", p + ".scale"], [bias ? p + ".product" : y]);
        if (bias) yield return GraphEdit.Node("Add", p + ".bias", [p + ".product", gemm.Input[2]], [y]);
    }

    /// <summary>Symmetric per-row int8: q = round(w / s) in [-127, 127], s = max|row| / 127 (1 for an all-zero row).</summary>
    internal static (sbyte[] Q, float[] Scales) Quantize(TensorProto weight)
    {
        var w = MemoryMarshal.Cast<byte, float>(weight.RawData.Span);
        int rows = (int)weight.Dims[0], cols = (int)weight.Dims[1];
        var q = new sbyte[w.Length];
        var scales = new float[rows];
        for (int r = 0; r < rows; r++)
        {
            var row = w.Slice(r * cols, cols);
            float max = 0;
            foreach (var v in row) max = Math.Max(max, Math.Abs(v));
            float s = max > 0 ? max / 127f : 1f;
            scales[r] = s;
            for (int c = 0; c < cols; c++) q[r * cols + c] = (sbyte)Math.Clamp(MathF.Round(row[c] / s), -127, 127);
        }
        return (q, scales);
    }

    private static sbyte[] Transpose(sbyte[] q, int rows, int cols)
    {
        var t = new sbyte[q.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) t[c * rows + r] = q[r * cols + c];
        return t;
    }
}
