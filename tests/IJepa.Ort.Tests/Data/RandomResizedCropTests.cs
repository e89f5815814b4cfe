using IJepa.Ort.Data;

namespace IJepa.Ort.Tests.Data;

public class RandomResizedCropTests
{
    [Test]
    public void Sample_ManyDraws_BoxInsideImageWithAreaAndRatioInBounds()
    {
        const int height = 120, width = 90;
        var rng = new DataRandom(7);
        for (int i = 0; i < 2000; i++)
        {
            var box = RandomResizedCrop.Sample(height, width, (0.3, 1.0), (3.0 / 4, 4.0 / 3), ref rng);

            Assert.That(box.Top, Is.InRange(0, height - box.Height));
            Assert.That(box.Left, Is.InRange(0, width - box.Width));
            double area = (double)box.Height * box.Width / (height * width);
            // Rounding h and w to integers moves the area by at most about (h + w) / 2 pixels.
            double slack = (box.Height + box.Width + 1) / 2.0 / (height * width);
            Assert.That(area, Is.InRange(0.3 - slack, 1.0 + slack));
            double ratio = (double)box.Width / box.Height;
            Assert.That(ratio, Is.InRange(3.0 / 4 * (1 - 1.0 / box.Height) - 0.02, 4.0 / 3 * (1 + 1.0 / box.Height) + 0.02));
        }
    }

    [Test]
    public void Sample_SameSeed_SameBoxes()
    {
        var a = new DataRandom(3);
        var b = new DataRandom(3);
        for (int i = 0; i < 50; i++)
            Assert.That(RandomResizedCrop.Sample(64, 48, (0.3, 1.0), (0.75, 4.0 / 3), ref a),
                Is.EqualTo(RandomResizedCrop.Sample(64, 48, (0.3, 1.0), (0.75, 4.0 / 3), ref b)));
    }

    [Test]
    public void Sample_ImpossibleRatio_FallsBackToCentreCrop()
    {
        var rng = new DataRandom(1);

        // A 2 x 200 strip cannot hold any crop of ratio 3/4..4/3 covering 30 % of its area.
        var box = RandomResizedCrop.Sample(2, 200, (0.3, 1.0), (3.0 / 4, 4.0 / 3), ref rng);

        Assert.That(box, Is.EqualTo(new CropBox(0, 98, 2, 3)));   // h = 2, w = round(2 * 4/3) = 3, centred
    }

    [Test]
    public void Fallback_RatioInRange_WholeImage()
    {
        Assert.That(RandomResizedCrop.Fallback(40, 50, (0.75, 4.0 / 3)), Is.EqualTo(new CropBox(0, 0, 40, 50)));
    }

    [Test]
    public void Fallback_TallImage_CutsHeightToMinRatio()
    {
        // width / min ratio = 30 / 0.75 = 40 rows, centred in 100.
        Assert.That(RandomResizedCrop.Fallback(100, 30, (0.75, 4.0 / 3)), Is.EqualTo(new CropBox(30, 0, 40, 30)));
    }
}
