// fp16 export: every float32 initializer is stored as float16 and cast back to float32 by a Cast node at the graph's
// start. Runtimes fold those casts when they load the model, so the file halves and the compute stays float32
// (ONNX Runtime's CPU provider has few float16 kernels; a float16 graph would run slower there, not faster).
using Google.Protobuf;
using IJepa.GraphBuilder.Onnx;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace IJepa.Ort.Export;

public static class Fp16Weights
{
    /// <summary>Suffix of the float16 initializer feeding the Cast that recreates the float32 one.</summary>
    public const string Suffix = ".fp16";

    public static void Apply(ModelProto model)
    {
        var graph = model.Graph;
        var casts = new List<NodeProto>();
        foreach (var tensor in graph.Initializer.Where(t => t.DataType == (int)DataType.Float))
        {
            string name = tensor.Name;
            var floats = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(tensor.RawData.Span);
            var halves = new ushort[floats.Length];
            for (int i = 0; i < floats.Length; i++) halves[i] = BitConverter.HalfToUInt16Bits((Half)floats[i]);
            tensor.Name = name + Suffix;
            tensor.DataType = (int)DataType.Float16;
            tensor.RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(halves.AsSpan()));
            casts.Add(GraphEdit.Node("Cast", name + ".cast", [tensor.Name], [name], GraphEdit.Int("to", (long)DataType.Float)));
        }
        GraphEdit.Prepend(graph, casts);
    }
}
