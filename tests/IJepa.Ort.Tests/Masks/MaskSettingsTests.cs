// MaskSettings.BlockSizeAt: upstream's _sample_block_size arithmetic, Python rounding included.
using IJepa.Ort.Masks;

namespace IJepa.Ort.Tests.Masks;

[TestFixture]
public class MaskSettingsTests
{
    private static readonly MaskSettings Grid14 = new(14, 14, (0.85, 1.0), (0.15, 0.2), (0.75, 1.5));

    [Test]
    public void BlockSizeAt_SmallestDraw_IsUpstreamsTargetSize()
    {
        // n = int(196·0.15) = 29; h = round(√(29·0.75)) = round(4.66) = 5; w = round(√(29/0.75)) = round(6.22) = 6.
        Assert.That(Grid14.BlockSizeAt(0, Grid14.PredMaskScale, Grid14.AspectRatio), Is.EqualTo(new BlockSize(5, 6)));
    }

    [Test]
    public void BlockSizeAt_LargestDraw_IsUpstreamsTargetSize()
    {
        // u → 1: n = int(196·0.2) = 39 (just under 39.2); h = round(√58.5) = 8; w = round(√26) = 5.
        Assert.That(Grid14.BlockSizeAt(1 - 1.0 / (1 << 24), Grid14.PredMaskScale, Grid14.AspectRatio), Is.EqualTo(new BlockSize(8, 5)));
    }

    [Test]
    public void BlockSizeAt_FullScaleContext_ShrinksInsideTheGrid()
    {
        Assert.That(Grid14.BlockSizeAt(0.999, Grid14.EncMaskScale, (1, 1)), Is.EqualTo(new BlockSize(13, 13)));
    }

    [Test]
    public void BlockSizeAt_HalfwaySquareRoot_RoundsHalfToEvenAsPython()
    {
        // 16x16, scale 0.1: n = int(25.6) = 25; aspect 0.25: h = round(√6.25) = round(2.5) = 2 in Python 3, w = √100 = 10.
        var s = new MaskSettings(16, 16, (1, 1), (0.1, 0.1), (0.25, 0.25));
        Assert.That(s.BlockSizeAt(0.5, s.PredMaskScale, s.AspectRatio), Is.EqualTo(new BlockSize(2, 10)));
    }

    [Test, CancelAfter(5000)]
    public void Problems_ExtremeAspectRatio_AnswerAtOnce()
    {
        // Found by fuzzing the config reader: aspect_ratio [0.75, 1e20] made the shrink loop run 2³¹ times per draw.
        var s = new MaskSettings(16, 16, (0.85, 1.0), (0.15, 0.2), (0.75, 1e20));
        Assert.That(s.BlockSizeAt(0.5, s.PredMaskScale, s.AspectRatio), Is.EqualTo(new BlockSize(15, 0)));
        Assert.That(s.Problems().Select(p => p.Key), Is.EqualTo(new[] { "mask.min_keep" }));
    }

    [Test]
    public void SmallestBlock_OfficialTargets_IsTheSmallestDraw()
    {
        Assert.That(Grid14.SmallestBlock(Grid14.PredMaskScale, Grid14.AspectRatio).Area, Is.EqualTo(30));
    }

    [Test]
    public void Problems_OfficialSettings_None()
    {
        Assert.That(Grid14.Problems(), Is.Empty);
    }

    [TestCase(0.0, 1.0, "mask.enc_mask_scale")]
    [TestCase(0.9, 0.8, "mask.enc_mask_scale")]
    public void Problems_BadContextScale_NameTheKey(double min, double max, string key)
    {
        Assert.That((Grid14 with { EncMaskScale = (min, max) }).Problems().Select(p => p.Key), Does.Contain(key));
    }

    [Test]
    public void StepRng_NextInt_IsUniformEnough()
    {
        var rng = new StepRng(1, 2, 3);
        var counts = new int[7];
        for (int i = 0; i < 70_000; i++) counts[rng.NextInt(7)]++;
        Assert.That(counts, Has.All.InRange(9_500, 10_500));
    }

    [Test]
    public void StepRng_NextFloat32_IsOnTorchsLatticeInUnitInterval()
    {
        var rng = new StepRng(0, 0, 0);
        for (int i = 0; i < 1000; i++)
        {
            double u = rng.NextFloat32();
            Assert.That(u, Is.InRange(0.0, 1.0 - 1.0 / (1 << 24)));
            Assert.That(u * (1 << 24), Is.EqualTo(Math.Floor(u * (1 << 24))));
        }
    }
}
