// The readouts: --readout parsing, grid pooling and pixel patches against hand computations.
using IJepa.Ort.Errors;
using IJepa.Ort.Evaluation;

namespace IJepa.Ort.Tests.Evaluation;

public class ReadoutTests
{
    [Test]
    public void ParseList_MeanGridAttentive_InOrderWithMeanFirst()
    {
        Assert.That(ProbeReadout.ParseList("mean,grid:2,attentive").Select(r => r.Name), Is.EqualTo(new[] { "mean", "grid:2", "attentive" }));
        Assert.That(ProbeReadout.ParseList("attentive, grid:3,attentive").Select(r => r.Name), Is.EqualTo(new[] { "mean", "attentive", "grid:3" }));
        Assert.That(ProbeReadout.ParseList("mean"), Is.EqualTo(new[] { ProbeReadout.Mean }));
    }

    [TestCase("grid:0")]
    [TestCase("grid:x")]
    [TestCase("grid")]
    [TestCase("max")]
    public void Parse_Bad_OneLineNamingTheOptionAndValue(string text)
    {
        var ex = Assert.Throws<ConfigException>(() => ProbeReadout.ParseList($"mean,{text}"))!;
        Assert.That(ex.Message, Does.StartWith($"--readout: '{text}'"));
        Assert.That(ex.Message, Does.Not.Contain('\n'));
    }

    [Test]
    public void Grid_ThreeByThreeIntoTwo_UnevenRegionsAveraged()
    {
        // one image, 3×3 patches, token t = (t, 10t); regions: rows/cols [0, 1) and [1, 3)
        var tokens = new FeatureSet(Enumerable.Range(0, 9).SelectMany(t => new[] { t, 10f * t }).ToArray(), 1, 18, [0], 1);

        var grid = TokenPooling.Grid(tokens, tokenCount: 9, k: 2);

        // (0,0): t 0; (0,1): t 1, 2; (1,0): t 3, 6; (1,1): t 4, 5, 7, 8
        Assert.That(grid.Dim, Is.EqualTo(8));
        Assert.That(grid.Data, Is.EqualTo(new[] { 0f, 0, 1.5f, 15, 4.5f, 45, 6, 60 }).Within(1e-6));
    }

    [Test]
    public void Grid_OneRegion_IsTheMeanAndAsManyAsPatches_IsTheTokens()
    {
        var rng = new Random(3);
        var tokens = new FeatureSet(Enumerable.Range(0, 2 * 16 * 3).Select(_ => (float)rng.NextDouble()).ToArray(), 2, 48, [0, 1], 2);

        var one = TokenPooling.Grid(tokens, 16, 1);
        var all = TokenPooling.Grid(tokens, 16, 4);

        for (int b = 0; b < 2; b++)
            for (int d = 0; d < 3; d++)
                Assert.That(one.Row(b)[d], Is.EqualTo(Enumerable.Range(0, 16).Average(t => tokens.Row(b)[t * 3 + d])).Within(1e-6));
        Assert.That(all.Data, Is.EqualTo(tokens.Data));
        Assert.That(one.Labels, Is.EqualTo(tokens.Labels));
    }

    [Test]
    public void Grid_MoreRegionsThanPatches_ConfigErrorNamingReadout()
    {
        var tokens = new FeatureSet(new float[9], 1, 9, [0], 1);
        Assert.That(() => TokenPooling.Grid(tokens, 9, 4), Throws.TypeOf<ConfigException>().With.Message.StartsWith("--readout: grid:4"));
    }

    [Test]
    public void Patches_FourByFourInTwos_ChannelRowColumnOrder()
    {
        var pixels = new FeatureSet(Enumerable.Range(0, 16).Select(v => (float)v).ToArray(), 1, 16, [0], 1);

        var patches = TokenPooling.Patches(pixels, channels: 1, size: 4, patch: 2);

        Assert.That(patches.Data, Is.EqualTo(new float[] { 0, 1, 4, 5, 2, 3, 6, 7, 8, 9, 12, 13, 10, 11, 14, 15 }));
    }

    [Test]
    public void Patches_TwoChannels_ChannelMajorWithinAToken()
    {
        // channel 0 = v, channel 1 = 100 + v, on a 2×2 image in one 2×2 patch
        var pixels = new FeatureSet([0, 1, 2, 3, 100, 101, 102, 103], 1, 8, [0], 1);

        var patches = TokenPooling.Patches(pixels, channels: 2, size: 2, patch: 2);

        Assert.That(patches.Data, Is.EqualTo(new float[] { 0, 1, 2, 3, 100, 101, 102, 103 }));
    }
}
