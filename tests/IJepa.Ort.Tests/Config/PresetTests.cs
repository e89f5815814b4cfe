// Every preset in models/ loads, resolves to buildable model specs, and the official ones keep upstream's values.
using IJepa.GraphBuilder.Models;
using IJepa.Ort.Config;

namespace IJepa.Ort.Tests.Config;

[TestFixture]
public class PresetTests
{
    private static IEnumerable<string> AllPresets() => Presets.All();

    private static IEnumerable<string> OfficialPresets() => Presets.Official;

    [Test]
    public void ModelsFolder_Always_HoldsTheOfficialAndSmallPresets()
    {
        Assert.That(Presets.All(), Is.SupersetOf(Presets.Official.Append("fmnist-vit-micro.yaml").Append("cifar-vit-tiny32.yaml")));
    }

    [TestCaseSource(nameof(AllPresets))]
    public void Load_EveryPreset_GivesABuildableArtifactSpec(string file)
    {
        var config = ConfigLoader.Load(Presets.PathOf(file));
        var spec = config.ToArtifactSpec(Path.GetFileNameWithoutExtension(file));
        Assert.Multiple(() =>
        {
            Assert.That(spec.Encoder.Problem(), Is.Null);
            Assert.That(spec.Predictor.Problem(), Is.Null);
            Assert.That(spec.NumPredMasks, Is.EqualTo(config.Mask.NumPredMasks));
        });
    }

    [TestCaseSource(nameof(OfficialPresets))]
    public void Write_OfficialPreset_ReproducesUpstreamTextBeforeOurSection(string file)
    {
        string text = File.ReadAllText(Presets.PathOf(file));
        string upstream = string.Concat(text.Split('\n').Where(l => !l.StartsWith('#')).Select(l => l + "\n")).TrimEnd('\n') + "\n";
        string written = ConfigWriter.Write(ConfigLoader.Parse(text, file));
        Assert.That(written[..written.IndexOf("ijepa_ort:", StringComparison.Ordinal)], Is.EqualTo(upstream));
    }

    [Test]
    public void Load_InOneKViTH14_HasUpstreamValues()
    {
        var c = ConfigLoader.Load(Presets.PathOf("in1k_vith14_ep300.yaml"));
        Assert.Multiple(() =>
        {
            Assert.That(c.Meta.ModelName, Is.EqualTo("vit_huge"));
            Assert.That(c.Meta.UseBfloat16, Is.True);
            Assert.That(c.Meta.ReadCheckpoint, Is.Null);
            Assert.That((c.Meta.PredDepth, c.Meta.PredEmbDim), Is.EqualTo((12, 384)));
            Assert.That((c.Data.BatchSize, c.Data.CropSize, c.Data.CropScale), Is.EqualTo((128, 224, (0.3, 1.0))));
            Assert.That(c.Data.RootPath, Is.EqualTo("$replace_this_with_absolute_path_to_your_datasets_directory"));
            Assert.That(c.Data.ImageFolder, Is.EqualTo("imagenet_full_size/061417/"));
            Assert.That((c.Mask.PatchSize, c.Mask.MinKeep, c.Mask.NumEncMasks, c.Mask.NumPredMasks), Is.EqualTo((14, 10, 1, 4)));
            Assert.That(c.Mask.EncMaskScale, Is.EqualTo((0.85, 1.0)));
            Assert.That(c.Mask.PredMaskScale, Is.EqualTo((0.15, 0.2)));
            Assert.That(c.Mask.AspectRatio, Is.EqualTo((0.75, 1.5)));
            Assert.That(c.Optimization.Ema, Is.EqualTo((0.996, 1.0)));
            Assert.That((c.Optimization.Epochs, c.Optimization.Warmup), Is.EqualTo((300, 40.0)));
            Assert.That((c.Optimization.StartLr, c.Optimization.Lr, c.Optimization.FinalLr), Is.EqualTo((0.0002, 0.001, 1.0e-06)));
            Assert.That((c.Optimization.WeightDecay, c.Optimization.FinalWeightDecay), Is.EqualTo((0.04, 0.4)));
            Assert.That(c.Logging.WriteTag, Is.EqualTo("jepa"));
            Assert.That(c.IJepaOrt.Dataset, Is.EqualTo(DatasetKind.ImageFolder));
            Assert.That(c.IJepaOrt.Mean, Is.EqualTo(IJepaOrtConfig.ImageNetMean));
        });
    }

    [Test]
    public void ToArtifactSpec_InOneKViTH14_IsViTHugeWithUpstreamPredictor()
    {
        var spec = ConfigLoader.Load(Presets.PathOf("in1k_vith14_ep300.yaml")).ToArtifactSpec("in1k_vith14_ep300", Precision.Float64);
        Assert.Multiple(() =>
        {
            Assert.That(spec.Encoder, Is.EqualTo(new VitSpec(224, 14, 3, 1280, 32, 16)));
            Assert.That(spec.Predictor, Is.EqualTo(new PredictorSpec(384, 12, 16)));
            Assert.That(spec.NumPredMasks, Is.EqualTo(4));
            Assert.That(spec.Precision, Is.EqualTo(Precision.Float64));
        });
    }

    [Test]
    public void ToArtifactSpec_ViTGiant_UsesGiantMlpRatio()
    {
        var spec = ConfigLoader.Load(Presets.PathOf("in22k_vitg16_ep44.yaml")).ToArtifactSpec("g");
        Assert.That(spec.Encoder, Is.EqualTo(new VitSpec(224, 16, 3, 1408, 40, 16, 48.0 / 11.0)));
        Assert.That(spec.Predictor, Is.EqualTo(new PredictorSpec(384, 16, 16)));
    }

    [Test]
    public void ToArtifactSpec_FashionMnistMicro_IsTheMicroModel()
    {
        var c = ConfigLoader.Load(Presets.PathOf("fmnist-vit-micro.yaml"));
        var spec = c.ToArtifactSpec("fmnist-vit-micro");
        Assert.Multiple(() =>
        {
            Assert.That(spec.Encoder, Is.EqualTo(new VitSpec(28, 4, 1, 128, 4, 4)));
            Assert.That(spec.Encoder.GridSize, Is.EqualTo(7));
            Assert.That(spec.Predictor, Is.EqualTo(new PredictorSpec(64, 2, 2)));
            Assert.That(c.Data.BatchSize, Is.EqualTo(64));
            Assert.That(c.IJepaOrt.Dataset, Is.EqualTo(DatasetKind.FashionMnist));
            Assert.That(c.IJepaOrt.Ipe, Is.EqualTo(100));
            Assert.That(c.IJepaOrt.Mean, Is.EqualTo(new[] { 0.286 }));
        });
    }

    [Test]
    public void ToArtifactSpec_CifarTiny32_IsViTTinyWithNarrowPredictor()
    {
        var c = ConfigLoader.Load(Presets.PathOf("cifar-vit-tiny32.yaml"));
        var spec = c.ToArtifactSpec("cifar-vit-tiny32");
        Assert.That(spec.Encoder, Is.EqualTo(new VitSpec(32, 4, 3, 192, 12, 3)));
        Assert.That(spec.Predictor, Is.EqualTo(new PredictorSpec(96, 6, 3)));
        Assert.That(c.IJepaOrt.Dataset, Is.EqualTo(DatasetKind.Cifar));
    }

    [TestCaseSource(nameof(AllPresets))]
    public void WriteThenParse_EveryPreset_RoundTrips(string file)
    {
        var config = ConfigLoader.Load(Presets.PathOf(file));
        string once = ConfigWriter.Write(config);
        string twice = ConfigWriter.Write(ConfigLoader.Parse(once, "written.yaml"));
        Assert.That(twice, Is.EqualTo(once));
    }
}
