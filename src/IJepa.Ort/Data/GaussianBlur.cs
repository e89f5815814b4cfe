// ijepa's GaussianBlur(p=0.5, radius_min=0.1, radius_max=2.0), which calls PIL's
// ImageFilter.GaussianBlur(radius) where radius is the standard deviation.
// Deviation: PIL approximates the Gaussian with three box blurs; this is the exact separable kernel
// (truncated at 3 sigma, edge pixels repeated).
using System.Numerics.Tensors;

namespace IJepa.Ort.Data;

/// <summary>Separable Gaussian blur of planar float images. Holds scratch: one instance per thread.</summary>
public sealed class GaussianBlur
{
    public const double Probability = 0.5;
    public const double SigmaMin = 0.1, SigmaMax = 2.0;

    private float[] _kernel = [];
    private float[] _line = [];    // one row with `radius` repeated edge pixels on each side
    private float[] _rows = [];    // the plane after the horizontal pass

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
        var kernel = Grow(ref _kernel, 2 * radius + 1);
        double total = 0;
        for (int k = -radius; k <= radius; k++) total += kernel[k + radius] = (float)Math.Exp(-0.5 * k * k / (sigma * sigma));
        for (int k = 0; k < kernel.Length; k++) kernel[k] = (float)(kernel[k] / total);

        int plane = height * width;
        var line = Grow(ref _line, width + 2 * radius);
        var rows = Grow(ref _rows, plane);
        for (int c = 0; c < channels; c++)
        {
            var p = image.Slice(c * plane, plane);
            for (int y = 0; y < height; y++)
            {
                var row = p.Slice(y * width, width);
                line[..radius].Fill(row[0]);
                row.CopyTo(line[radius..]);
                line[(radius + width)..].Fill(row[^1]);
                var result = rows.Slice(y * width, width);
                TensorPrimitives.Multiply(line[..width], kernel[0], result);
                for (int k = 1; k < kernel.Length; k++) TensorPrimitives.MultiplyAdd(line.Slice(k, width), kernel[k], result, result);
            }
            for (int y = 0; y < height; y++)
            {
                var result = p.Slice(y * width, width);
                TensorPrimitives.Multiply(rows.Slice(RowAt(y - radius, height) * width, width), kernel[0], result);
                for (int k = 1; k < kernel.Length; k++)
                    TensorPrimitives.MultiplyAdd(rows.Slice(RowAt(y + k - radius, height) * width, width), kernel[k], result, result);
            }
        }
    }

    private static int RowAt(int y, int height) => Math.Clamp(y, 0, height - 1);

    private static Span<float> Grow(ref float[] array, int length)
    {
        if (array.Length < length) array = new float[length];
        return array.AsSpan(0, length);
    }
}
