// Encoders for evaluation: the random-init baseline is the run's own starting point; the last-blocks graph; export round trip.
using IJepa.GraphBuilder.Recipes;
using IJepa.Ort.Data;
using IJepa.Ort.Evaluation;
using IJepa.Ort.Export;
using IJepa.Ort.Runtime;

namespace IJepa.Ort.Tests.Evaluation;

public class EncoderModelTests
{
    private static readonly IImageDataset Images = new ScenesDataset(new ScenesOptions { ImageSize = 28, TrainCount = 16 }, DataSplit.Train);

    [Test]
    public void RandomInit_SameSeed_EqualsTheTrainersInitialTargetEncoder()
    {
        var config = Synthetic.TinyConfig();
        var manifest = ArtifactWriter.Build(config.ToArtifactSpec("tiny")).Manifest;
        using var store = new ParameterStore(manifest);
        store.Initialize(seed: 4);

        var fromStore = FeatureExtractor.Encode(EncoderExport.FromStore(store, config, "tiny", 0), Images, threads: 1);
        var random = FeatureExtractor.Encode(EncoderExport.RandomInit(config, "tiny", seed: 4), Images, threads: 1);
        var other = FeatureExtractor.Encode(EncoderExport.RandomInit(config, "tiny", seed: 5), Images, threads: 1);

        Assert.That(random.Data, Is.EqualTo(fromStore.Data));
        Assert.That(other.Data, Is.Not.EqualTo(fromStore.Data));
    }

    [Test]
    public void PooledBlocks_LastOne_EqualsPooledOutput_LastTwoIsTwiceAsWide()
    {
        var config = Synthetic.TinyConfig();
        var pooled = FeatureExtractor.Encode(EncoderExport.RandomInit(config, "tiny", 1), Images, threads: 1);
        var lastOne = FeatureExtractor.Encode(EncoderExport.RandomInit(config, "tiny", 1, lastBlocks: 1), Images, threads: 1);
        var lastTwo = FeatureExtractor.Encode(EncoderExport.RandomInit(config, "tiny", 1, lastBlocks: 2), Images, threads: 1);

        Assert.That(lastOne.Data, Is.EqualTo(pooled.Data).Within(1e-5f));
        Assert.That(lastTwo.Dim, Is.EqualTo(2 * pooled.Dim));
        for (int i = 0; i < lastTwo.Count; i++)
            Assert.That(lastTwo.Row(i)[pooled.Dim..].ToArray(), Is.EqualTo(pooled.Row(i).ToArray()).Within(1e-5f));
    }

    [Test]
    public void Tokens_AveragedOverPatches_ArePooled_ForTheEncoderAndTheLastBlocks()
    {
        var config = Synthetic.TinyConfig();
        var plain = FeatureExtractor.Encode(EncoderExport.RandomInit(config, "tiny", 1), Images, tokens: true, threads: 1);
        var lastTwo = FeatureExtractor.Encode(EncoderExport.RandomInit(config, "tiny", 1, lastBlocks: 2), Images, tokens: true, threads: 1);

        foreach (var f in new[] { plain, lastTwo })
        {
            Assert.That(f.Tokens!.Dim, Is.EqualTo(f.TokenCount * f.Pooled.Dim), "tokens as wide as the pooled features");
            var mean = TokenPooling.Grid(f.Tokens, f.TokenCount, 1);
            Assert.That(mean.Data, Is.EqualTo(f.Pooled.Data).Within(1e-4f));
        }
        Assert.That(FeatureExtractor.Encode(EncoderExport.RandomInit(config, "tiny", 1), Images, tokens: false, threads: 1).Tokens, Is.Null);
    }

    [Test]
    public void Load_ExportedBytes_SameMetadataAndFeatures()
    {
        var model = EncoderExport.RandomInit(Synthetic.TinyConfig(), "tiny", 2);
        var path = Path.Combine(Path.GetTempPath(), $"ijepa-eval-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, model.Bytes);
        try
        {
            var loaded = EncoderModel.Load(path);

            Assert.That((loaded.ImgSize, loaded.InChans, loaded.Preset), Is.EqualTo((28, 1, "tiny")));
            Assert.That(loaded.Mean, Is.EqualTo(model.Mean));
            Assert.That(FeatureExtractor.Encode(loaded, Images, threads: 1).Data, Is.EqualTo(FeatureExtractor.Encode(model, Images, threads: 1).Data));
        }
        finally { File.Delete(path); }
    }

    [Test]
    public void Pixels_GreyFromRgbScenes_NormalisedRowsOfCxHxW()
    {
        var features = FeatureExtractor.Pixels(Images, 28, 1, [0.5f], [0.25f]);

        Assert.That((features.Count, features.Dim), Is.EqualTo((16, 784)));
        Assert.That(features.Data, Has.All.InRange(-2f, 2f));
    }
}
