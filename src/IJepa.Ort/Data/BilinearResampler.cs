// Bilinear resize of a crop as PIL does it (torchvision's resize on PIL images): a separable triangle
// filter whose support widens with the downscale factor (antialiasing), horizontal pass then vertical.
// Deviation: the intermediate stays float instead of PIL's 8-bit rounding between and after the passes.
using System.Numerics.Tensors;

namespace IJepa.Ort.Data;

/// <summary>Resizes HWC bytes to planar float in [0, 1]. Holds scratch buffers: one instance per thread.</summary>
public sealed class BilinearResampler
{
    private int[] _xStart = [], _xCount = [], _yStart = [], _yCount = [];
    private float[] _xWeights = [], _yWeights = [], _rows = [], _column = [];
    private int _xTaps, _yTaps;

    /// <summary>
    /// Resizes the <paramref name="box"/> of <paramref name="src"/> to outHeight x outWidth and writes it as
    /// planes [C, outHeight, outWidth] of values in [0, 1] into <paramref name="dst"/>.
    /// </summary>
    public void Resize(ImageBuffer src, CropBox box, int outHeight, int outWidth, Span<float> dst)
    {
        int channels = src.Channels;
        if (dst.Length < channels * outHeight * outWidth) throw new ArgumentException("destination too small", nameof(dst));
        _xTaps = Coefficients(box.Width, outWidth, ref _xStart, ref _xCount, ref _xWeights);
        _yTaps = Coefficients(box.Height, outHeight, ref _yStart, ref _yCount, ref _yWeights);

        // Horizontal pass over the crop's rows: [box.Height, outWidth, C].
        int rowLength = outWidth * channels;
        Grow(ref _rows, box.Height * rowLength);
        ReadOnlySpan<byte> pixels = src.Pixels;
        for (int y = 0; y < box.Height; y++)
        {
            var srcRow = pixels.Slice(((box.Top + y) * src.Width + box.Left) * channels, box.Width * channels);
            var outRow = _rows.AsSpan(y * rowLength, rowLength);
            for (int x = 0; x < outWidth; x++)
            {
                var weights = _xWeights.AsSpan(x * _xTaps, _xCount[x]);
                var taps = srcRow.Slice(_xStart[x] * channels, weights.Length * channels);
                if (channels == 3)
                {
                    float r = 0, g = 0, b = 0;
                    for (int k = 0; k < weights.Length; k++)
                    {
                        r += weights[k] * taps[3 * k];
                        g += weights[k] * taps[3 * k + 1];
                        b += weights[k] * taps[3 * k + 2];
                    }
                    outRow[3 * x] = r;
                    outRow[3 * x + 1] = g;
                    outRow[3 * x + 2] = b;
                }
                else
                {
                    for (int c = 0; c < channels; c++)
                    {
                        float sum = 0;
                        for (int k = 0; k < weights.Length; k++) sum += weights[k] * taps[k * channels + c];
                        outRow[x * channels + c] = sum;
                    }
                }
            }
        }

        // Vertical pass, whole rows at a time, then split into planes [C, outHeight, outWidth] scaled
        // to [0, 1] as ToTensor does.
        int plane = outHeight * outWidth;
        var column = Grow(ref _column, rowLength);
        for (int y = 0; y < outHeight; y++)
        {
            var weights = _yWeights.AsSpan(y * _yTaps, _yCount[y]);
            int start = _yStart[y];
            TensorPrimitives.Multiply(_rows.AsSpan(start * rowLength, rowLength), weights[0], column);
            for (int k = 1; k < weights.Length; k++)
                TensorPrimitives.MultiplyAdd(_rows.AsSpan((start + k) * rowLength, rowLength), weights[k], column, column);
            for (int x = 0; x < outWidth; x++)
                for (int c = 0; c < channels; c++)
                    dst[c * plane + y * outWidth + x] = Math.Clamp(column[x * channels + c], 0f, 255f) * (1f / 255f);
        }
    }

    /// <summary>PIL's precompute_coeffs for the bilinear (triangle) filter; returns taps per output pixel.</summary>
    private static int Coefficients(int inSize, int outSize, ref int[] start, ref int[] count, ref float[] weights)
    {
        double scale = (double)inSize / outSize;
        double filterScale = Math.Max(scale, 1.0);
        double support = 1.0 * filterScale;
        int taps = (int)Math.Ceiling(support) * 2 + 1;
        Grow(ref start, outSize);
        Grow(ref count, outSize);
        Grow(ref weights, outSize * taps);
        for (int i = 0; i < outSize; i++)
        {
            double center = (i + 0.5) * scale;
            int min = Math.Max((int)(center - support + 0.5), 0);
            int n = Math.Min((int)(center + support + 0.5), inSize) - min;
            double total = 0;
            var w = weights.AsSpan(i * taps, taps);
            for (int k = 0; k < n; k++)
            {
                double t = Math.Abs((k + min - center + 0.5) / filterScale);
                double v = t < 1.0 ? 1.0 - t : 0.0;
                w[k] = (float)v;
                total += v;
            }
            if (total != 0)
                for (int k = 0; k < n; k++) w[k] = (float)(w[k] / total);
            start[i] = min;
            count[i] = n;
        }
        return taps;
    }

    private static Span<T> Grow<T>(ref T[] array, int length)
    {
        if (array.Length < length) array = new T[length];
        return array.AsSpan(0, length);
    }
}
