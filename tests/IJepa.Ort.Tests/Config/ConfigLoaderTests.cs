// ConfigLoader: defaults, YAML forms, and one-line errors that name the file and the full key.
using IJepa.Ort.Config;
using IJepa.Ort.Errors;

namespace IJepa.Ort.Tests.Config;

[TestFixture]
public class ConfigLoaderTests
{
    private const string File = "models/x.yaml";

    // The smallest valid config: only the required keys.
    private const string Minimal = """
        data:
          batch_size: 8
        optimization:
          epochs: 2
          warmup: 1
        """;

    private static IJepaConfig Parse(string yaml) => ConfigLoader.Parse(yaml, File);

    private static string ErrorOf(string yaml) => Assert.Throws<ConfigException>(() => Parse(yaml))!.Message;

    // A valid micro-sized config, as (section, line) pairs.
    private static readonly (string Section, string Line)[] MicroLines =
    [
        ("data", "batch_size: 4"), ("data", "crop_size: 28"),
        ("mask", "patch_size: 4"), ("mask", "min_keep: 3"), ("mask", "pred_mask_scale: [0.1, 0.15]"),
        ("meta", "model_name: vit_micro"), ("meta", "pred_emb_dim: 64"), ("meta", "pred_depth: 2"),
        ("optimization", "epochs: 2"), ("optimization", "warmup: 1"),
        ("ijepa_ort", "model: {embed_dim: 128, depth: 4, num_heads: 4, in_chans: 1, pred_num_heads: 2}"),
        ("ijepa_ort", "mean: [0.5]"), ("ijepa_ort", "std: [0.5]"),
    ];

    // The micro config with `line` replacing the line of the same key in `section`, or added to it.
    private static string Micro(string section, string line)
    {
        static string KeyOf(string l) => l[..l.IndexOf(':')];
        var lines = MicroLines.Where(l => !(l.Section == section && KeyOf(l.Line) == KeyOf(line))).Append((Section: section, Line: line));
        return string.Concat(lines.GroupBy(l => l.Section).Select(g => $"{g.Key}:\n" + string.Concat(g.Select(l => $"  {l.Line}\n"))));
    }

    [Test]
    public void Parse_OnlyRequiredKeys_TakesUpstreamDefaults()
    {
        var c = Parse(Minimal);
        Assert.Multiple(() =>
        {
            Assert.That(c.Meta, Is.EqualTo(new MetaConfig()));
            Assert.That(c.Meta.ModelName, Is.EqualTo("vit_base"));
            Assert.That((c.Meta.PredDepth, c.Meta.PredEmbDim, c.Meta.UseBfloat16), Is.EqualTo((6, 384, false)));
            Assert.That(c.Data, Is.EqualTo(new DataConfig { BatchSize = 8 }));
            Assert.That((c.Data.CropSize, c.Data.CropScale), Is.EqualTo((224, (0.3, 1.0))));
            Assert.That(c.Mask, Is.EqualTo(new MaskConfig()));
            Assert.That((c.Mask.PatchSize, c.Mask.MinKeep, c.Mask.NumPredMasks, c.Mask.AllowOverlap), Is.EqualTo((16, 10, 4, false)));
            Assert.That(c.Optimization, Is.EqualTo(new OptimizationConfig { Epochs = 2, Warmup = 1 }));
            Assert.That(c.Logging, Is.EqualTo(new LoggingConfig()));
            Assert.That(c.IJepaOrt.Seed, Is.EqualTo(0UL));
            Assert.That(c.IJepaOrt.CheckpointFreq, Is.EqualTo(50));
            Assert.That(c.IJepaOrt.LogFreq, Is.EqualTo(10));
            Assert.That(c.IJepaOrt.UpstreamMaskBounds, Is.False);
            Assert.That(c.IJepaOrt.Ipe, Is.Null);
            Assert.That(c.IJepaOrt.Dataset, Is.EqualTo(DatasetKind.ImageFolder));
            Assert.That(c.IJepaOrt.Std, Is.EqualTo(new[] { 0.229, 0.224, 0.225 }));
            Assert.That(c.Source, Is.EqualTo(File));
            Assert.That((c.IJepaOrt.TargetBlocks, c.IJepaOrt.VcLoss), Is.EqualTo((1, new VcLossConfig())));
            Assert.That(c.Objective().IsUpstream, Is.True);
        });
    }

    [Test]
    public void Parse_ObjectiveLevers_ReachTheArtifactSpec()
    {
        var c = Parse(Micro("ijepa_ort", "target_blocks: 3") + "  vc_loss: {variance: 1, covariance: 0.04}\n");
        Assert.That(c.ToArtifactSpec("x").Objective, Is.EqualTo(new IJepa.GraphBuilder.Models.TrainObjective(3, 1, 0.04)));
    }

    [Test]
    public void Parse_VcLossWithBatchOfOne_NamesTheLever()
    {
        var yaml = Micro("data", "batch_size: 1") + "  vc_loss: {covariance: 0.04}\n";   // the ijepa_ort section comes last
        Assert.That(ErrorOf(yaml), Is.EqualTo($"{File}: ijepa_ort.vc_loss: needs data.batch_size ≥ 2 (batch statistics), got 1"));
    }

    [Test]
    public void Parse_YamlForms_NullExponentFloatsAndFlowLists()
    {
        var c = Parse("""
            data: {batch_size: 8, root_path: null, image_folder: ~}
            mask:
              enc_mask_scale: [0.85, 1.0]
            meta:
              read_checkpoint: null
            optimization:
              epochs: 2
              warmup: 0.5
              final_lr: 1.0e-06
              lr: 1e-3
              ema: [0.996, 1]
            logging:
              folder:
            """);
        Assert.Multiple(() =>
        {
            Assert.That(c.Data.RootPath, Is.Null);
            Assert.That(c.Data.ImageFolder, Is.Null);
            Assert.That(c.Meta.ReadCheckpoint, Is.Null);
            Assert.That(c.Logging.Folder, Is.Null);
            Assert.That(c.Mask.EncMaskScale, Is.EqualTo((0.85, 1.0)));
            Assert.That(c.Optimization.FinalLr, Is.EqualTo(1.0e-06));
            Assert.That(c.Optimization.Lr, Is.EqualTo(0.001));
            Assert.That(c.Optimization.Warmup, Is.EqualTo(0.5));
            Assert.That(c.Optimization.Ema, Is.EqualTo((0.996, 1.0)));
        });
    }

    [Test]
    public void Parse_ModelOverrides_ReplaceNamedSizes()
    {
        var c = Parse(Minimal + "\nmeta: {model_name: vit_small}\nijepa_ort:\n  model: {depth: 2, mlp_ratio: 2.0}\n");
        var spec = c.ToArtifactSpec("p");
        Assert.Multiple(() =>
        {
            Assert.That((spec.Encoder.EmbedDim, spec.Encoder.Depth, spec.Encoder.NumHeads, spec.Encoder.MlpRatio), Is.EqualTo((384, 2, 6, 2.0)));
            Assert.That(spec.Predictor.PredNumHeads, Is.EqualTo(6), "predictor heads default to the encoder's");
        });
    }

    [Test]
    public void Parse_UnknownModelNameWithFullOverrides_Loads()
    {
        var spec = Parse(Micro("logging", "write_tag: t")).ToArtifactSpec("micro");
        Assert.That(spec.Encoder.GridSize, Is.EqualTo(7));
        Assert.That((spec.Encoder.EmbedDim, spec.Encoder.Depth, spec.Encoder.NumHeads, spec.Encoder.InChans), Is.EqualTo((128, 4, 4, 1)));
        Assert.That(spec.Predictor.PredNumHeads, Is.EqualTo(2));
    }

    [Test]
    public void Parse_PatchSizeNotDividingCropSize_NamesFileAndKey()
    {
        Assert.That(ErrorOf(Micro("data", "crop_size: 30")), Is.EqualTo("models/x.yaml: mask.patch_size: 4 does not divide data.crop_size 30"));
    }

    [TestCase("mask", "colour: 1", "mask.colour: unknown key")]
    [TestCase("ijepa_ort", "model: {depht: 2}", "ijepa_ort.model.depht: unknown key")]
    [TestCase("extras", "a: 1", "extras: unknown key")]
    [TestCase("mask", "patch_size: abc", "mask.patch_size: expected an integer, got 'abc'")]
    [TestCase("mask", "patch_size: 4.5", "mask.patch_size: expected an integer, got '4.5'")]
    [TestCase("mask", "patch_size: '4'", "mask.patch_size: expected an integer, got the quoted string '4'")]
    [TestCase("mask", "allow_overlap: maybe", "mask.allow_overlap: expected true or false, got 'maybe'")]
    [TestCase("mask", "aspect_ratio: 1.0", "mask.aspect_ratio: expected a list of numbers, got '1.0'")]
    [TestCase("mask", "aspect_ratio: [1.0]", "mask.aspect_ratio: expected a list of two numbers, got 1")]
    [TestCase("mask", "aspect_ratio: [1.0, x]", "mask.aspect_ratio[1]: expected a number, got 'x'")]
    [TestCase("mask", "num_pred_masks: [4]", "mask.num_pred_masks: expected an integer, got a list")]
    [TestCase("optimization", "lr: fast", "optimization.lr: expected a number, got 'fast'")]
    [TestCase("meta", "model_name: [a]", "meta.model_name: expected a string, got a list")]
    [TestCase("data", "batch_size: null", "data.batch_size: missing required value")]
    [TestCase("ijepa_ort", "dataset: mnist", "ijepa_ort.dataset: unknown data set 'mnist'")]
    [TestCase("ijepa_ort", "seed: -1", "ijepa_ort.seed: expected a non-negative integer")]
    [TestCase("ijepa_ort", "target_blocks: 2.5", "ijepa_ort.target_blocks: expected an integer, got '2.5'")]
    [TestCase("ijepa_ort", "vc_loss: {varaince: 1}", "ijepa_ort.vc_loss.varaince: unknown key")]
    public void Parse_BadKeyOrType_NamesFileAndFullKey(string section, string line, string expected)
    {
        Assert.That(ErrorOf(Micro(section, line)), Does.StartWith($"{File}: {expected}"));
    }

    [TestCase("data", "crop_scale: [0.0, 1.0]", "data.crop_scale: [0, 1] must lie in (0, 1]")]
    [TestCase("mask", "enc_mask_scale: [0.85, 1.5]", "mask.enc_mask_scale: [0.85, 1.5] must lie in (0, 1]")]
    [TestCase("mask", "pred_mask_scale: [0.2, 0.1]", "mask.pred_mask_scale: min 0.2 is greater than max 0.1")]
    [TestCase("mask", "aspect_ratio: [0, 1.5]", "mask.aspect_ratio: [0, 1.5] must be positive")]
    [TestCase("mask", "num_enc_masks: 2", "mask.num_enc_masks: only 1 context block is supported")]
    [TestCase("mask", "num_pred_masks: 0", "mask.num_pred_masks: must be at least 1")]
    [TestCase("mask", "min_keep: 4", "mask.min_keep: 4 is not below the smallest target block (2x2 = 4 patches")]
    [TestCase("data", "batch_size: 0", "data.batch_size: must be at least 1, got 0")]
    [TestCase("optimization", "epochs: 0", "optimization.epochs: must be at least 1, got 0")]
    [TestCase("optimization", "ema: [0.996, 1.1]", "optimization.ema: [0.996, 1.1] must lie in [0, 1]")]
    [TestCase("optimization", "ipe_scale: 0", "optimization.ipe_scale: must be positive, got 0")]
    [TestCase("meta", "pred_emb_dim: 65", "ijepa_ort.model.pred_num_heads: 2 does not divide meta.pred_emb_dim 65")]
    [TestCase("meta", "pred_emb_dim: 70", "meta.pred_emb_dim: 70 is not a multiple of 4")]
    [TestCase("ijepa_ort", "ipe: 0", "ijepa_ort.ipe: must be at least 1, got 0")]
    [TestCase("ijepa_ort", "std: [0.0]", "ijepa_ort.std: every value must be positive")]
    [TestCase("ijepa_ort", "mean: [0.5, 0.5, 0.5]", "ijepa_ort.mean: has 3 values for in_chans 1")]
    [TestCase("ijepa_ort", "target_blocks: 0", "ijepa_ort.target_blocks: 0 must lie in 1..4 (the encoder's depth)")]
    [TestCase("ijepa_ort", "target_blocks: 5", "ijepa_ort.target_blocks: 5 must lie in 1..4 (the encoder's depth)")]
    [TestCase("ijepa_ort", "vc_loss: {variance: -1}", "ijepa_ort.vc_loss.variance: -1 must be a finite number ≥ 0 (0 = off)")]
    [TestCase("ijepa_ort", "vc_loss: {covariance: -0.5}", "ijepa_ort.vc_loss.covariance: -0.5 must be a finite number ≥ 0 (0 = off)")]
    public void Parse_ImpossibleValue_NamesFileAndKey(string section, string line, string expected)
    {
        Assert.That(ErrorOf(Micro(section, line)), Does.StartWith($"{File}: {expected}"));
    }

    [Test]
    public void Parse_UnknownModelNameWithoutOverrides_NamesModelName()
    {
        Assert.That(ErrorOf(Minimal + "\nmeta: {model_name: vit_enormous}\n"),
            Does.StartWith($"{File}: meta.model_name: unknown model 'vit_enormous'").And.Contains("ijepa_ort.model.embed_dim"));
    }

    [Test]
    public void Parse_EmbedDimNotDivisibleByHeads_NamesTheOverride()
    {
        Assert.That(ErrorOf(Minimal + "\nijepa_ort:\n  model: {num_heads: 5}\n"),
            Is.EqualTo($"{File}: ijepa_ort.model.num_heads: 5 does not divide embed_dim 768"));
    }

    [Test]
    public void Parse_PredictorWidthNotDivisibleByEncoderHeads_SuggestsPredNumHeads()
    {
        Assert.That(ErrorOf(Minimal + "\nmeta: {pred_emb_dim: 100}\n"),
            Does.StartWith($"{File}: meta.pred_emb_dim: 100 is not divisible by the encoder's 12 heads").And.Contains("pred_num_heads"));
    }

    [Test]
    public void Parse_OneChannelWithoutMean_AsksForMean()
    {
        Assert.That(ErrorOf(Minimal + "\nijepa_ort:\n  model: {in_chans: 1}\n"), Does.StartWith($"{File}: ijepa_ort.mean: required when in_chans is 1"));
    }

    [Test]
    public void Parse_MissingRequiredKey_NamesIt()
    {
        Assert.That(ErrorOf("data: {batch_size: 8}\noptimization: {epochs: 3}\n"), Is.EqualTo($"{File}: optimization.warmup: missing required value"));
        Assert.That(ErrorOf(""), Is.EqualTo($"{File}: data.batch_size: missing required value"));
    }

    [Test]
    public void Parse_SectionNotAMapping_NamesSection()
    {
        Assert.That(ErrorOf(Minimal + "\nmask: 3\n"), Is.EqualTo($"{File}: mask: expected a mapping of keys, got '3'"));
    }

    [Test]
    public void Parse_InvalidYaml_NamesFileAndLine()
    {
        var e = Assert.Throws<ConfigException>(() => Parse("data:\n  batch_size: [1, 2\n"))!;
        Assert.That(e.Message, Does.StartWith($"{File}:3:"));
        Assert.That(e.ExitCode, Is.EqualTo(2));
    }

    [Test]
    public void Parse_DuplicateKey_IsAnError()
    {
        Assert.That(ErrorOf("data:\n  batch_size: 1\n  batch_size: 2\n"), Does.StartWith($"{File}:3:").And.Contains("Duplicate key"));
    }

    [Test]
    public void Load_MissingFile_IsAConfigError()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load("/nonexistent/x.yaml"))!;
        Assert.That(e.Message, Does.StartWith("/nonexistent/x.yaml: cannot read the config"));
    }

    [Test]
    public void IterationsPerEpoch_NoCap_IsFloorOfSizeOverBatch()
    {
        Assert.That(Parse(Minimal).IterationsPerEpoch(100), Is.EqualTo(12));
    }

    [Test]
    public void IterationsPerEpoch_Cap_LimitsIt()
    {
        var c = Parse(Minimal + "\nijepa_ort: {ipe: 5}\n");
        Assert.That((c.IterationsPerEpoch(100), c.IterationsPerEpoch(20)), Is.EqualTo((5, 2)));
    }

    [Test]
    public void IterationsPerEpoch_DataSetSmallerThanBatch_NamesBatchSize()
    {
        var e = Assert.Throws<ConfigException>(() => Parse(Minimal).IterationsPerEpoch(7))!;
        Assert.That(e.Message, Is.EqualTo($"{File}: data.batch_size: 8 is larger than the data set (7 images)"));
    }
}
