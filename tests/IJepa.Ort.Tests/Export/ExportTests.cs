// The exported encoder computes what training computes: its features, normalised and gathered, equal the train
// graph's target features for the same weights; embed writes them for a whole data set.
using IJepa.GraphBuilder.Recipes;
using IJepa.Ort.Data;
using IJepa.Ort.Evaluation;
using IJepa.Ort.Export;
using IJepa.Ort.Runtime;
using IJepa.Ort.Tests.Support;
using IJepa.Ort.Training;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace IJepa.Ort.Tests.Export;

public class ExportTests
{
    [Test]
    public void Export_TargetEncoder_MatchesTrainGraphTargetFeatures()
    {
        using var run = new TinyRun();
        using var trainer = new Trainer(run.Options(maxSteps: 3), TextWriter.Null);
        trainer.Run();
        var model = Path.Combine(run.Root, "encoder.onnx");
        EncoderExport.Export(run.RunDir(), "target", model);

        var spec = trainer.Store.Manifest.Spec.Encoder;
        int b = 8, n = spec.NumPatches, d = spec.EmbedDim, m = trainer.Store.Manifest.Spec.NumPredMasks, nt = 5;
        var graph = Path.Combine(run.RunDir(), "graphs", ArtifactNames.TrainStepFile);
        using var step = new TrainStepSession(new SessionFactory(ExecutionDevice.Cpu, 1).Open(graph), trainer.Store, b);
        var rng = new Random(3);
        var images = new float[b * 28 * 28];
        for (int i = 0; i < images.Length; i++) images[i] = (float)(rng.NextDouble() * 2 - 1);
        images.CopyTo(step.Images);
        var targets = Enumerable.Range(0, m * b * nt).Select(i => (long)rng.Next(n)).ToArray();
        targets.CopyTo(step.TargetIndex);
        Enumerable.Range(0, b * 4).Select(i => (long)(i % 4)).ToArray().CopyTo(step.ContextIndex);
        step.Run(trainer.Store.Current, 4, nt);

        using var session = new InferenceSession(model);
        using var result = session.Run([NamedOnnxValue.CreateFromTensor("images", new DenseTensor<float>(images, [b, 1, 28, 28]))], ["features"]);
        var features = result[0].AsTensor<float>();
        double worst = 0;
        for (int row = 0; row < m * b; row++)
            for (int j = 0; j < nt; j++)
            {
                int image = row % b, patch = (int)targets[row * nt + j];
                var x = Enumerable.Range(0, d).Select(k => (double)features[image, patch, k]).ToArray();
                double mean = x.Average(), std = Math.Sqrt(x.Select(v => (v - mean) * (v - mean)).Average() + 1e-5);
                for (int k = 0; k < d; k++)
                    worst = Math.Max(worst, Math.Abs((x[k] - mean) / std - step.TargetFeatures[(row * nt + j) * d + k]));
            }
        Assert.That(worst, Is.LessThan(1e-5));
        Assert.That(session.ModelMetadata.CustomMetadataMap["ijepa.patch_size"], Is.EqualTo("4"));
    }

    [Test]
    public void Embed_ExportedModel_WritesOneFeatureRowPerImage()
    {
        using var run = new TinyRun(images: 40);
        using (var trainer = new Trainer(run.Options(maxSteps: 1), TextWriter.Null)) trainer.Run();
        var model = Path.Combine(run.Root, "encoder.onnx");
        EncoderExport.Export(run.RunDir(), "context", model);
        var npy = Path.Combine(run.Root, "features.npy");
        var r = Embedder.Run(model, IdxDataset.OpenSplit(run.DataDir, DataSplit.Test), npy, batchSize: 16, threads: 1);
        Assert.That((r.Count, r.Dim), Is.EqualTo((40, 32)));
        var bytes = File.ReadAllBytes(npy);
        var header = System.Text.Encoding.ASCII.GetString(bytes, 10, bytes[8] | bytes[9] << 8);
        Assert.That(header, Does.Contain("'shape': (40, 32)"));
        Assert.That(bytes.Length, Is.EqualTo(10 + header.Length + 40 * 32 * 4));
    }
}
