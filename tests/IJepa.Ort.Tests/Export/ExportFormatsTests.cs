// What `export` writes besides the fp32 model: its contract beside it, fp16 and int8 precisions close to fp32 and smaller,
// and ONNX external data above a threshold that ONNX Runtime and EncoderModel.Load read back.
using System.Text.Json;
using IJepa.Ort.Data;
using IJepa.Ort.Evaluation;
using IJepa.Ort.Export;
using IJepa.Ort.Tests.Data;
using IJepa.Ort.Tests.Evaluation;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace IJepa.Ort.Tests.Export;

public class ExportFormatsTests
{
    private static EncoderModel Model() => EncoderExport.RandomInit(Synthetic.TinyConfig(), "tiny", seed: 7);

    private static float[] Pooled(string path) =>
        FeatureExtractor.Encode(EncoderModel.Load(path), new SyntheticDataset(8, 28, 28, 1), batchSize: 4, threads: 1).Data;

    [Test]
    public void Export_Contract_StatesInputsOutputsAndPreprocessing()
    {
        using var dir = new TempDirectory();
        var r = EncoderExport.Write(Model(), dir.Combine("encoder.onnx"), new ExportSettings());

        using var json = JsonDocument.Parse(File.ReadAllText(r.Contract));
        var root = json.RootElement;
        Assert.That(r.Contract, Is.EqualTo(dir.Combine("encoder.onnx.json")));
        Assert.That(Dims(root.GetProperty("inputs")[0]), Is.EqualTo("B,1,28,28"));
        Assert.That(root.GetProperty("inputs")[0].GetProperty("dtype").GetString(), Is.EqualTo("float32"));
        Assert.That(root.GetProperty("outputs").EnumerateArray().Select(o => o.GetProperty("name").GetString()), Is.EqualTo(new[] { "features", "pooled" }));
        Assert.That(Dims(root.GetProperty("outputs")[1]), Is.EqualTo("B,16"));
        var pre = root.GetProperty("preprocessing");
        Assert.That(pre.GetProperty("channel_order").GetString(), Is.EqualTo("L"));
        Assert.That(pre.GetProperty("pixel_scale").GetString(), Is.EqualTo("1/255"));
        Assert.That(pre.GetProperty("std")[0].GetDouble(), Is.EqualTo(Model().Std[0]).Within(1e-7));
        Assert.That(root.GetProperty("metadata").GetProperty(MetadataKeys.Layout).GetString(), Is.EqualTo("NCHW"));
        Assert.That(root.GetProperty("external_data").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [TestCase(ExportPrecision.Fp16, Int8Scheme.Dynamic, 2e-3, 0.51)]
    [TestCase(ExportPrecision.Int8, Int8Scheme.Dynamic, 0.02, 0.45)]
    [TestCase(ExportPrecision.Int8, Int8Scheme.Qdq, 0.02, 0.45)]
    public void Export_LowerPrecision_HasSmallerWeightsCloseToFp32(ExportPrecision precision, Int8Scheme scheme, double tolerance, double weightRatio)
    {
        using var dir = new TempDirectory();
        var fp32 = EncoderExport.Write(Model(), dir.Combine("fp32.onnx"), new ExportSettings());
        var low = EncoderExport.Write(Model(), dir.Combine("low.onnx"), new ExportSettings { Precision = precision, Int8 = scheme });

        var expected = Pooled(fp32.Path);
        var actual = Pooled(low.Path);
        double worst = expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max(), scale = expected.Max(Math.Abs);
        long lowWeights = ModelFile.InlineBytes(EncoderModel.Load(low.Path).Proto), fp32Weights = ModelFile.InlineBytes(EncoderModel.Load(fp32.Path).Proto);
        TestContext.Out.WriteLine($"{precision} {scheme}: weights {lowWeights} vs {fp32Weights} bytes, max |diff| {worst:E2} (max |fp32| {scale:F3})");
        Assert.That(worst, Is.LessThan(tolerance * scale));
        Assert.That(lowWeights, Is.LessThan(weightRatio * fp32Weights));
        Assert.That(EncoderModel.Load(low.Path).Metadata[MetadataKeys.Precision], Does.StartWith(precision.Name()));
    }

    private static string Dims(JsonElement value) => string.Join(",", value.GetProperty("dims").EnumerateArray().Select(d => d.ToString()));

    [Test]
    public void Export_AboveExternalDataThreshold_WritesDataFileThatLoadsBack()
    {
        using var dir = new TempDirectory();
        var inline = EncoderExport.Write(Model(), dir.Combine("inline.onnx"), new ExportSettings());
        var external = EncoderExport.Write(Model(), dir.Combine("big.onnx"), new ExportSettings { ExternalDataThreshold = 16 << 10 });

        Assert.That(inline.ExternalData, Is.Null);
        Assert.That(external.ExternalData, Is.EqualTo(dir.Combine("big.onnx.data")));
        Assert.That(new FileInfo(external.Path).Length, Is.LessThan(new FileInfo(external.ExternalData!).Length));
        Assert.That(Pooled(external.Path), Is.EqualTo(Pooled(inline.Path)));                 // EncoderModel.Load reads the data back

        // ONNX Runtime itself resolves the data file from the model's path.
        var images = new DenseTensor<float>(Enumerable.Range(0, 2 * 28 * 28).Select(i => (float)Math.Sin(i)).ToArray(), [2, 1, 28, 28]);
        float[] Run(string path)
        {
            using var session = new InferenceSession(path);
            using var result = session.Run([NamedOnnxValue.CreateFromTensor("images", images)], ["pooled"]);
            return result.First().AsTensor<float>().ToArray();
        }
        Assert.That(Run(external.Path), Is.EqualTo(Run(inline.Path)));
        using var json = JsonDocument.Parse(File.ReadAllText(external.Contract));
        Assert.That(json.RootElement.GetProperty("external_data").GetString(), Is.EqualTo("big.onnx.data"));
    }

    [Test]
    public void LatencyBenchmark_ExportedModel_TimesAtLeastFiveRuns()
    {
        using var dir = new TempDirectory();
        var r = EncoderExport.Write(Model(), dir.Combine("encoder.onnx"), new ExportSettings());
        var latency = LatencyBenchmark.Measure(r.Path, batch: 2, threads: 1, minSeconds: 0.01, warmup: 1);
        Assert.That(latency.Runs, Is.GreaterThanOrEqualTo(5));
        Assert.That(latency.MsPerImage, Is.EqualTo(latency.MsPerBatch / 2).And.GreaterThan(0));
    }

    /// <summary>The real thing, by hand (about 8 GB of memory and a minute): a ViT-H/14 encoder (2.5 GB of weights) goes to
    /// external data by default and runs from its file.</summary>
    [Test, Explicit("writes 2.5 GB")]
    public void Export_VitH14_WritesExternalDataAndRuns()
    {
        using var dir = new TempDirectory();
        var config = IJepa.Ort.Config.ConfigLoader.Load(IJepa.Ort.Tests.Config.Presets.PathOf("in1k_vith14_ep300.yaml"));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var r = EncoderExport.Write(EncoderExport.RandomInit(config, "in1k_vith14_ep300", seed: 0), dir.Combine("vith14.onnx"), new ExportSettings());
        TestContext.Out.WriteLine($"export: {watch.Elapsed.TotalSeconds:F0} s, {r.Parameters:N0} parameters, model {new FileInfo(r.Path).Length:N0} B + data {new FileInfo(r.ExternalData!).Length:N0} B");
        watch.Restart();
        var latency = LatencyBenchmark.Measure(r.Path, batch: 1, threads: 2, minSeconds: 0, warmup: 1);
        TestContext.Out.WriteLine($"load + 6 runs: {watch.Elapsed.TotalSeconds:F0} s, {latency.MsPerImage:F0} ms/image");
        Assert.That(r.ExternalData, Is.Not.Null);
    }
}
