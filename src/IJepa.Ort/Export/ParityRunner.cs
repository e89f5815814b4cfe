// Runs our train-step graph on a step input in the numerical oracle's safetensors format (docs/architecture.md §6) and writes
// loss, every gradient, prediction and target features under the oracle's names, for `run.sh reference --compare`.
using System.Globalization;
using IJepa.GraphBuilder.Core;
using IJepa.GraphBuilder.Models;
using IJepa.GraphBuilder.Modules;
using IJepa.GraphBuilder.Onnx;
using IJepa.GraphBuilder.Recipes;
using IJepa.Ort.Checkpoints;
using IJepa.Ort.Errors;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using N = IJepa.GraphBuilder.Recipes.ArtifactNames;

namespace IJepa.Ort.Export;

public static class ParityRunner
{
    public static (double Loss, int Gradients) Run(string inPath, string outPath, int threads = 1)
    {
        using var input = SafeTensorsReader.Open(inPath);
        var md = input.Metadata;
        int I(string k) => md.TryGetValue(k, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : throw DataException.At(inPath, $"__metadata__ has no '{k}'");
        double D(string k, double fallback) => md.TryGetValue(k, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var targetInfo = input.Info(N.TargetIndex);
        var encoder = new VitSpec(I("img"), I("patch"), I("chans"), I("dim"), I("depth"), I("heads"), D("mlp_ratio", 4), md.GetValueOrDefault("qkv_bias", "true") == "true", D("eps", 1e-6));
        var spec = new ArtifactSpec("parity", encoder, new PredictorSpec(I("pred_dim"), I("pred_depth"), I("pred_heads")), (int)targetInfo.Shape[0]);
        var graph = TrainStepRecipe.Build(spec);

        var feeds = new List<NamedOnnxValue>
        {
            Float(N.Images, ReadAsFloat(input, N.Images), input.Info(N.Images).Shape),
            NamedOnnxValue.CreateFromTensor(N.ContextIndex, new DenseTensor<long>(input.ReadI64(N.ContextIndex), Dims(input.Info(N.ContextIndex).Shape))),
            NamedOnnxValue.CreateFromTensor(N.TargetIndex, new DenseTensor<long>(input.ReadI64(N.TargetIndex), Dims(targetInfo.Shape))),
        };
        foreach (var p in graph.Parameters)
        {
            // Position tables are not inputs of the oracle: the fixed table, rounded to float32 as upstream does.
            var data = p.Init == InitRule.SinCos2D
                ? PosEmbed.SinCos2D((int)p.Dims[^1], encoder.GridSize).Select(v => (float)v).ToArray()
                : input.Contains(p.Name) ? ReadAsFloat(input, p.Name) : throw DataException.At(inPath, $"no tensor {p.Name}");
            feeds.Add(Float(p.Name, data, p.Dims));
        }
        using var options = new SessionOptions { IntraOpNumThreads = threads };
        using var session = new InferenceSession(OnnxWriter.ToBytes(graph), options);
        using var results = session.Run(feeds);
        var byName = results.ToDictionary(r => r.Name, r => r.AsTensor<float>());
        var outputs = new List<(string Name, long[] Shape, float[] Data)>();
        foreach (var name in new[] { N.TargetFeatures, N.Prediction }.Concat(graph.Parameters.Where(p => p.Trainable).Select(p => N.Grad(p.Name))))
            outputs.Add((name, byName[name].Dimensions.ToArray().Select(d => (long)d).ToArray(), byName[name].ToArray()));
        double loss = byName[N.Loss].GetValue(0);

        using var stream = File.Create(outPath);
        var specs = new List<SafeTensorSpec> { new("loss", SafeTensorDType.F64, [1]) };
        specs.AddRange(outputs.Select(o => new SafeTensorSpec(o.Name, SafeTensorDType.F32, o.Shape)));
        var writer = new SafeTensorsWriter(stream, specs, new Dictionary<string, string> { ["producer"] = "ijepa-ort train_step.onnx (float32)" });
        writer.Write([loss]);
        foreach (var o in outputs) writer.Write(o.Data);
        writer.Complete();
        return (loss, outputs.Count - 2);
    }

    private static float[] ReadAsFloat(SafeTensorsReader r, string name) =>
        r.Info(name).DType == SafeTensorDType.F64 ? r.ReadF64(name).Select(v => (float)v).ToArray() : r.ReadF32(name);

    private static NamedOnnxValue Float(string name, float[] data, long[] shape) =>
        NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(data, Dims(shape)));

    private static int[] Dims(long[] shape) => shape.Select(d => (int)d).ToArray();
}
