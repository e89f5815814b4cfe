// The Node example (examples/embed.mjs, following the deployment contract FILE.onnx.json) prints the embeddings `embed`
// writes, in onnxruntime-node and in onnxruntime-web's WASM backend: same preprocessing, same model, another runtime.
using IJepa.Ort.Config;
using IJepa.Ort.Data;
using IJepa.Ort.Evaluation;
using IJepa.Ort.Export;
using IJepa.Ort.Tests.Config;
using IJepa.Ort.Tests.Data;
using SkiaSharp;

namespace IJepa.Ort.Tests.Export;

public class NodeExampleTests
{
    /// <summary>A 3-channel model (the scenes preset shrunk, 32x32 RGB) and a 1-channel one (the micro preset shrunk, 28x28 luma).</summary>
    private static EncoderModel Model(string preset) => EncoderExport.RandomInit(ConfigLoader.Load(Presets.PathOf(preset + ".yaml"),
    [
        new("ijepa_ort.model.embed_dim", "16"), new("ijepa_ort.model.depth", "2"), new("ijepa_ort.model.num_heads", "2"),
        new("meta.pred_emb_dim", "16"), new("meta.pred_depth", "1"),
    ]), preset, seed: 3);

    [TestCase("scenes-vit-micro", "node")]
    [TestCase("scenes-vit-micro", "wasm")]
    [TestCase("fmnist-vit-micro", "node")]
    [TestCase("fmnist-vit-micro", "wasm")]
    public void NodeExample_PngImages_MatchesEmbed(string preset, string backend)
    {
        NodeExample.RequireInstalled();
        using var dir = new TempDirectory();
        // Wider, taller, exact-size and smaller images: crop offsets, downscaling (antialiased), identity, upscaling.
        var sizes = new[] { (45, 32), (32, 57), (32, 32), (28, 28), (20, 23), (97, 80) };
        for (int i = 0; i < sizes.Length; i++)
            TestImages.Write(dir.Combine("images", "a", $"{i}.png"), sizes[i].Item1, sizes[i].Item2, SKEncodedImageFormat.Png, seed: i);
        var worst = Compare(preset, backend, dir);
        TestContext.Out.WriteLine($"{preset} {backend}: max |node - embed| = {worst:E2}");
        Assert.That(worst, Is.LessThanOrEqualTo(1e-4));
    }

    /// <summary>fp16 weights are cast back to float32 at load: the same numbers everywhere (measured 4.8e-7). int8 (dynamic)
    /// quantizes activations per call, so a last-bit difference upstream can flip a rounding step (measured 8.5e-5).</summary>
    [TestCase(ExportPrecision.Fp16, "node", 1e-4)]
    [TestCase(ExportPrecision.Fp16, "wasm", 1e-4)]
    [TestCase(ExportPrecision.Int8, "node", 1e-3)]
    [TestCase(ExportPrecision.Int8, "wasm", 1e-3)]
    public void NodeExample_LowerPrecision_MatchesEmbed(ExportPrecision precision, string backend, double tolerance)
    {
        NodeExample.RequireInstalled();
        using var dir = new TempDirectory();
        for (int i = 0; i < 3; i++) TestImages.Write(dir.Combine("images", "a", $"{i}.png"), 30 + 7 * i, 36, SKEncodedImageFormat.Png, seed: i);
        var worst = Compare("scenes-vit-micro", backend, dir, new ExportSettings { Precision = precision });
        TestContext.Out.WriteLine($"{precision} {backend}: max |node - embed| = {worst:E2}");
        Assert.That(worst, Is.LessThanOrEqualTo(tolerance));
    }

    [TestCase("node")]
    [TestCase("wasm")]
    public void NodeExample_ExternalData_MatchesEmbed(string backend)
    {
        NodeExample.RequireInstalled();
        using var dir = new TempDirectory();
        TestImages.Write(dir.Combine("images", "a", "0.png"), 40, 33, SKEncodedImageFormat.Png);
        var worst = Compare("scenes-vit-micro", backend, dir, new ExportSettings { ExternalDataThreshold = 16 << 10 });
        Assert.That(File.Exists(dir.Combine("encoder.onnx.data")));
        Assert.That(worst, Is.LessThanOrEqualTo(1e-4));
    }

    [Test]
    public void NodeExample_Jpeg_MatchesEmbedWithinDecoderRounding()
    {
        NodeExample.RequireInstalled();
        using var dir = new TempDirectory();
        TestImages.Write(dir.Combine("images", "a", "0.jpg"), 48, 40, SKEncodedImageFormat.Jpeg, seed: 1);
        var worst = Compare("scenes-vit-micro", "node", dir);
        TestContext.Out.WriteLine($"jpeg: max |node - embed| = {worst:E2}");
        // jpeg-js and libjpeg-turbo (SkiaSharp) may round an IDCT output differently by one level in a few pixels.
        Assert.That(worst, Is.LessThanOrEqualTo(2e-2));     // measured 9.6e-3
    }

    /// <summary>Exports the model with its contract, embeds dir/images with `embed`'s code and with the example; the worst difference.</summary>
    private static double Compare(string preset, string backend, TempDirectory dir, ExportSettings? settings = null)
    {
        var path = dir.Combine("encoder.onnx");
        EncoderExport.Write(Model(preset), path, settings ?? new ExportSettings());
        var dataset = new ImageFolderDataset(dir.Combine("images"));
        var expected = FeatureExtractor.Encode(EncoderModel.Load(path), dataset, batchSize: 4, threads: 1);
        var files = Enumerable.Range(0, dataset.Count).Select(dataset.FilePath).ToArray();
        var actual = NodeExample.Embed(path, files, backend);
        double worst = 0;
        for (int i = 0; i < files.Length; i++)
        {
            var row = actual[files[i]];
            Assert.That(row, Has.Length.EqualTo(expected.Dim));
            for (int k = 0; k < expected.Dim; k++) worst = Math.Max(worst, Math.Abs(row[k] - expected.Data[i * expected.Dim + k]));
        }
        return worst;
    }
}
