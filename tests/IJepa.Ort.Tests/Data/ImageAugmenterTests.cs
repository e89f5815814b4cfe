using IJepa.Ort.Data;

namespace IJepa.Ort.Tests.Data;

public class ImageAugmenterTests
{
    private static ImageBuffer Image(int height, int width, int channels, Func<int, int, int, byte> pixel)
    {
        var buffer = new ImageBuffer();
        buffer.Reset(height, width, channels);
        var span = buffer.Pixels;
        for (int y = 0, k = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                for (int c = 0; c < channels; c++) span[k++] = pixel(y, x, c);
        return buffer;
    }

    [Test]
    public void Apply_EvalSameSize_IsToTensorAndNormalize()
    {
        var src = Image(6, 6, 3, (y, x, c) => (byte)(y * 40 + x * 5 + c));
        var augmenter = new ImageAugmenter(AugmentOptions.Eval(6));
        var dst = new float[3 * 36];
        var rng = new DataRandom(0);

        augmenter.Apply(src, ref rng, dst);

        for (int c = 0; c < 3; c++)
            for (int y = 0; y < 6; y++)
                for (int x = 0; x < 6; x++)
                {
                    float expected = (src[y, x, c] / 255f - AugmentOptions.ImageNetMean[c]) / AugmentOptions.ImageNetStd[c];
                    Assert.That(dst[c * 36 + y * 6 + x], Is.EqualTo(expected).Within(1e-5));
                }
    }

    [Test]
    public void Apply_RandomCrop_OutputHasCropSizeAndIsFinite()
    {
        var src = Image(37, 23, 1, (y, x, _) => (byte)(y * 7 ^ x * 11));
        var augmenter = new ImageAugmenter(new AugmentOptions { CropSize = 16 });
        var dst = new float[16 * 16];
        var rng = new DataRandom(5);

        augmenter.Apply(src, ref rng, dst);

        float lo = (0 - 0.2860f) / 0.3530f, hi = (1 - 0.2860f) / 0.3530f;
        Assert.That(dst, Has.All.InRange(lo - 1e-4f, hi + 1e-4f));
    }

    [Test]
    public void Apply_ConstantImageWithEveryOption_StaysConstantPerChannel()
    {
        // Resizing, flipping and blurring a flat image keep it flat; colour ops act on all pixels alike.
        var src = Image(30, 40, 3, (_, _, c) => (byte)(60 + 50 * c));
        var options = new AugmentOptions { CropSize = 12, HorizontalFlip = true, ColorDistortion = true, GaussianBlur = true };
        var augmenter = new ImageAugmenter(options);
        var dst = new float[3 * 144];
        for (ulong seed = 0; seed < 20; seed++)
        {
            var rng = new DataRandom(seed);
            augmenter.Apply(src, ref rng, dst);
            for (int c = 0; c < 3; c++)
                Assert.That(dst.AsSpan(c * 144, 144).ToArray(), Has.All.EqualTo(dst[c * 144]).Within(1e-4));
        }
    }

    [Test]
    public void Apply_SameGenerator_SameOutput()
    {
        var src = Image(20, 20, 3, (y, x, c) => (byte)(y * 9 + x * 4 + c * 70));
        var options = new AugmentOptions { CropSize = 8, HorizontalFlip = true, ColorDistortion = true, GaussianBlur = true };
        var a = new float[3 * 64];
        var b = new float[3 * 64];
        var rngA = DataRandom.For(1, 2, 3);
        var rngB = DataRandom.For(1, 2, 3);

        new ImageAugmenter(options).Apply(src, ref rngA, a);
        new ImageAugmenter(options).Apply(src, ref rngB, b);

        Assert.That(a, Is.EqualTo(b));
    }

    [Test]
    public void Apply_GreyToRgb_RepeatsTheChannel()
    {
        var src = Image(4, 4, 1, (y, x, _) => (byte)(y * 60 + x));
        var options = AugmentOptions.Eval(4) with { OutChannels = 3, Mean = [0f, 0f, 0f], Std = [1f, 1f, 1f] };
        var dst = new float[3 * 16];
        var rng = new DataRandom(0);

        new ImageAugmenter(options).Apply(src, ref rng, dst);

        Assert.That(dst.AsSpan(16, 16).ToArray(), Is.EqualTo(dst.AsSpan(0, 16).ToArray()));
        Assert.That(dst.AsSpan(32, 16).ToArray(), Is.EqualTo(dst.AsSpan(0, 16).ToArray()));
        Assert.That(dst[1 * 4 + 2], Is.EqualTo(62 / 255f).Within(1e-6));
    }

    [Test]
    public void Resize_Downscale_AveragesWithAntialiasing()
    {
        // A 1-pixel checkerboard downscaled 4x averages to mid-grey, as PIL's widened bilinear filter does.
        var src = Image(16, 16, 1, (y, x, _) => (byte)(((x + y) & 1) * 255));
        var dst = new float[16];

        new BilinearResampler().Resize(src, new CropBox(0, 0, 16, 16), 4, 4, dst);

        Assert.That(dst, Has.All.EqualTo(0.5f).Within(0.02f));
    }

    [Test]
    public void Resize_Upscale2To4_MatchesPilBilinear()
    {
        // PIL: Image.fromarray([[0, 255]]).resize((4, 1), BILINEAR) gives 0, 63.75, 191.25, 255 before rounding.
        var src = Image(1, 2, 1, (_, x, _) => (byte)(x * 255));
        var dst = new float[4];

        new BilinearResampler().Resize(src, new CropBox(0, 0, 1, 2), 1, 4, dst);

        Assert.That(dst.Select(v => v * 255f), Is.EqualTo(new[] { 0f, 63.75f, 191.25f, 255f }).Within(1e-3f));
    }

    [Test]
    public void Hue_FullTurn_LeavesColourUnchanged()
    {
        float[] image = [0.9f, 0.2f, 0.4f];
        ColorDistortion.Hue(image, plane: 1, shift: 0.5f);
        ColorDistortion.Hue(image, plane: 1, shift: 0.5f);

        Assert.That(image, Is.EqualTo(new[] { 0.9f, 0.2f, 0.4f }).Within(1e-5f));
    }

    [Test]
    public void Hue_RedByOneThird_BecomesGreen()
    {
        float[] image = [1f, 0f, 0f];
        ColorDistortion.Hue(image, plane: 1, shift: 1f / 3);

        Assert.That(image, Is.EqualTo(new[] { 0f, 1f, 0f }).Within(1e-5f));
    }

    [Test]
    public void Blur_Impulse_SpreadsSymmetricallyAndKeepsMass()
    {
        var image = new float[9 * 9];
        image[4 * 9 + 4] = 1f;

        new GaussianBlur().Blur(image, channels: 1, height: 9, width: 9, sigma: 1.0);

        Assert.That(image.Sum(), Is.EqualTo(1f).Within(1e-4f));
        Assert.That(image[4 * 9 + 3], Is.EqualTo(image[4 * 9 + 5]).Within(1e-7f));
        Assert.That(image[4 * 9 + 4], Is.GreaterThan(image[4 * 9 + 3]));
    }
}
