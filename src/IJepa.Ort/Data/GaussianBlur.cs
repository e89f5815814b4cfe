// ijepa's GaussianBlur(p=0.5, radius_min=0.1, radius_max=2.0), which calls PIL's
// ImageFilter.GaussianBlur(radius) where radius is the standard deviation.
// Deviation: PIL approximates the Gaussian with three box blurs; this is the exact separable kernel
// (truncated at 3 sigma, edge pixels repeated).
namespace IJepa.Ort.Data;

/// <summary>Separable Gaussian blur of planar float images. Holds scratch: one instance per thread.</summary>
public sealed class GaussianBlur
{
    public const double Probability = 0.5;
    public const double SigmaMin = 0.1, SigmaMax = 2.0;

    private float[] _line = [];
    private float[] _kernel = [];

    /// <summary>Draws (apply?, sigma) as ijepa does and blurs planes [C, H, W] in place when drawn.</summary>
    public void Apply(Span<float> image, int channels, int height, int width, ref DataRandom rng)
    {
        if (!rng.Bernoulli(Probability)) return;
        double sigma = rng.Uniform(SigmaMin, SigmaMax);
        Blur(image, channels, height, width, sigma);
    }

    public void Blur(Span<float> image, int channels, int height, int width, double sigma)
    {
        int radius = Math.Max(1, (int)Math.Ceiling(3 * sigma));
        if (_kernel.Length < 2 * radius + 1) _kernel = new float[2 * radius + 1];
        var kernel = _kernel.AsSpan(0, 2 * radius + 1);
        double total = 0;
        for (int k = -radius; k <= radius; k++) total += kernel[k + radius] = (float)Math.Exp(-0.5 * k * k / (sigma * sigma));
        for (int k = 0; k < kernel.Length; k++) kernel[k] = (float)(kernel[k] / total);

        if (_line.Length < Math.Max(height, width)) _line = new float[Math.Max(height, width)];
        int plane = height * width;
        for (int c = 0; c < channels; c++)
        {
            var p = image.Slice(c * plane, plane);
            for (int y = 0; y < height; y++) Convolve(p, y * width, 1, width, kernel, radius);
            for (int x = 0; x < width; x++) Convolve(p, x, width, height, kernel, radius);
        }
    }

    /// <summary>Convolves one row or column (start, stride, length) with edge clamping.</summary>
    private void Convolve(Span<float> plane, int start, int stride, int length, ReadOnlySpan<float> kernel, int radius)
    {
        var line = _line.AsSpan(0, length);
        for (int i = 0; i < length; i++) line[i] = plane[start + i * stride];
        for (int i = 0; i < length; i++)
        {
            float sum = 0;
            for (int k = -radius; k <= radius; k++) sum += kernel[k + radius] * line[Math.Clamp(i + k, 0, length - 1)];
            plane[start + i * stride] = sum;
        }
    }
}
