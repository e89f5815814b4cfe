// Import: upstream .pth.tar and Hugging Face IJepaModel safetensors (both built here, ViT-H/14 scaled down) become
// checkpoints whose encoders give exactly the source weights' features; a pickle asking for any other callable is refused.
using IJepa.Ort.Checkpoints;
using IJepa.Ort.Config;
using IJepa.Ort.Graphs;
using IJepa.Ort.Training;
using IJepa.Ort.Tests.Support;
using IJepa.Ort.Errors;
using IJepa.Ort.Export;
using IJepa.Ort.Import;
using IJepa.Ort.Tests.Data;
using static IJepa.Ort.Tests.Import.ImportFixtures;

namespace IJepa.Ort.Tests.Import;

public class ImportTests
{
    [Test]
    public void Import_UpstreamPthTar_EncodersGiveSourceFeatures()
    {
        using var dir = new TempDirectory();
        var model = SmallVitH(dir);
        var weights = RandomWeights(model.Manifest, seed: 1);
        var root = UpstreamDict(model.Manifest, weights);
        // As torch may store them: one weight a view at an offset into a larger storage, one transposed (non-contiguous).
        var qkv = model.Manifest["target_encoder.blocks.0.attn.qkv.weight"];
        var padded = new float[qkv.Count + 7];
        weights[qkv.Name].CopyTo(padded, 7);
        Replace(root, CheckpointKeys.TargetEncoder, "module.blocks.0.attn.qkv.weight", new PickledTensor(padded, 7, qkv.Shape, [qkv.Shape[1], 1]));
        var fc1 = model.Manifest["encoder.blocks.1.mlp.fc1.weight"];
        Replace(root, CheckpointKeys.Encoder, "module.blocks.1.mlp.fc1.weight", Transposed(weights[fc1.Name], fc1.Shape));
        var file = dir.Combine("IN1K-vit.h.14-300e.pth.tar");
        TorchZipWriter.Write(file, root, archive: "IN1K-vit.h.14-300e");

        var result = CheckpointImporter.Import(new ImportRequest(file, model.ConfigPath, dir.Combine("run"), dir.Combine("no-graphs")));

        Assert.That(result.Copied, Is.Empty);
        Assert.That(result.Initialised, Is.Empty);
        Assert.That(Features(EncoderExport.FromCheckpoint(dir.Combine("run"), "target")), Is.EqualTo(SourceFeatures(model, weights, CheckpointKeys.TargetEncoder)));
        Assert.That(Features(EncoderExport.FromCheckpoint(dir.Combine("run"), "context")), Is.EqualTo(SourceFeatures(model, weights, CheckpointKeys.Encoder)));
        using var reader = Checkpoint.Open(result.Checkpoint);
        Assert.That(reader.Meta.Extra["upstream.epoch"], Is.EqualTo("300"));
        Assert.That(reader.Read("predictor.predictor_proj.weight"), Is.EqualTo(weights["predictor.predictor_proj.weight"]));
    }

    [Test]
    public void Import_HuggingFaceSafetensors_BothEncodersGiveSourceFeaturesAndPredictorIsFresh()
    {
        using var dir = new TempDirectory();
        var model = SmallVitH(dir);
        var weights = RandomWeights(model.Manifest, seed: 2);
        Directory.CreateDirectory(dir.Combine("ijepa_vith14_1k"));
        WriteHuggingFace(dir.Combine("ijepa_vith14_1k", "model.safetensors"), model.Manifest, weights);

        var result = CheckpointImporter.Import(new ImportRequest(dir.Combine("ijepa_vith14_1k"), model.ConfigPath, dir.Combine("run"), dir.Combine("no-graphs")));

        var expected = SourceFeatures(model, weights, CheckpointKeys.Encoder);
        Assert.That(Features(EncoderExport.FromCheckpoint(dir.Combine("run"), "target")), Is.EqualTo(expected));
        Assert.That(Features(EncoderExport.FromCheckpoint(dir.Combine("run"), "context")), Is.EqualTo(expected));
        Assert.That(result.Initialised, Has.All.StartWith("predictor."));
        Assert.That(result.Copied, Has.All.StartWith("target_encoder."));
    }

    [TestCase("os", "system")]
    [TestCase("builtins", "eval")]
    [TestCase("torch", "load")]
    public void Import_PickleAskingForAnotherCallable_IsRefusedAndRunsNothing(string module, string name)
    {
        using var dir = new TempDirectory();
        var model = SmallVitH(dir);
        var marker = dir.Combine("ran");
        var file = dir.Combine("evil.pth.tar");
        TorchZipWriter.Write(file, new Dictionary<string, object?> { ["encoder"] = new PickledCall(module, name, $"open('{marker}', 'w')") });

        var error = Assert.Throws<DataException>(() => CheckpointImporter.Import(new ImportRequest(file, model.ConfigPath, dir.Combine("run"), dir.Combine("no-graphs"))));

        Assert.That(error!.Message, Does.Contain($"refused: the pickle asks for {module}.{name}").And.Contain("nothing was executed"));
        Assert.That(File.Exists(marker), Is.False);
        Assert.That(Directory.Exists(dir.Combine("run", "checkpoints")), Is.False);
    }

    [Test]
    public void Import_StateDictNotFittingTheConfig_NamesMissingUnexpectedAndMisshapedKeys()
    {
        using var dir = new TempDirectory();
        var model = SmallVitH(dir);
        var root = UpstreamDict(model.Manifest, RandomWeights(model.Manifest, seed: 3));
        var encoder = ((PickledOrderedDict)root[CheckpointKeys.Encoder]!).Items;
        encoder.RemoveAll(kv => kv.Key == "module.norm.bias");
        encoder.Add(new("module.blocks.2.norm1.weight", PickledTensor.Contiguous(new float[32], 32)));
        Replace(root, CheckpointKeys.Encoder, "module.patch_embed.proj.bias", PickledTensor.Contiguous(new float[16], 16));
        var file = dir.Combine("other.pth.tar");
        TorchZipWriter.Write(file, root);

        var error = Assert.Throws<DataException>(() => CheckpointImporter.Import(new ImportRequest(file, model.ConfigPath, dir.Combine("run"), dir.Combine("no-graphs"))));

        Assert.That(error!.Message, Does.Contain("missing encoder.norm.bias")
            .And.Contain("unexpected encoder[module.blocks.2.norm1.weight]")
            .And.Contain("mis-shaped encoder[module.patch_embed.proj.bias] is [16], encoder.patch_embed.proj.bias is [32]"));
    }

    [Test]
    public void TrainResume_FromImportedHuggingFaceModel_FineTunesFromStepZero()
    {
        using var run = new TinyRun();
        var options = run.Options("imported", maxSteps: 1, resume: true);
        var config = ConfigLoader.Load(run.ConfigPath, options.Overrides);
        var configPath = Path.Combine(run.Root, "tiny-resolved.yaml");
        ConfigWriter.Save(config, configPath);
        var (_, manifest) = PresetGraphs.Resolve(config, "tiny", Path.Combine(run.Root, "no-graphs"), Path.Combine(run.Root, "graphs"));
        var hf = Path.Combine(run.Root, "model.safetensors");
        WriteHuggingFace(hf, manifest, RandomWeights(manifest, seed: 4));
        CheckpointImporter.Import(new ImportRequest(hf, configPath, run.RunDir("imported"), Path.Combine(run.Root, "no-graphs")));

        var log = new StringWriter();
        using (var trainer = new Trainer(options, log)) trainer.Run();

        Assert.That(log.ToString(), Does.Contain("resuming from").And.Contain("at step 0"));
        using var reader = Checkpoint.Open(CheckpointFolder.Resolve(run.RunDir("imported")));
        Assert.That(reader.Meta.Step, Is.EqualTo(1));
    }

    private static void Replace(Dictionary<string, object?> root, string section, string key, PickledTensor tensor)
    {
        var items = ((PickledOrderedDict)root[section]!).Items;
        int at = items.FindIndex(kv => kv.Key == key);
        items[at] = new(key, tensor);
    }

    /// <summary>The tensor stored transposed: storage holds wᵀ contiguously, the view has strides (1, rows).</summary>
    private static PickledTensor Transposed(float[] w, long[] shape)
    {
        int rows = (int)shape[0], cols = (int)shape[1];
        var t = new float[w.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) t[c * rows + r] = w[r * cols + c];
        return new PickledTensor(t, 0, shape, [1, rows]);
    }
}
