// torchvision's RandomResizedCrop.get_params: up to 10 tries of (area fraction, log-uniform aspect ratio),
// then a centre crop clamped to the ratio range. Python's round() is banker's rounding, as is Math.Round.
namespace IJepa.Ort.Data;

/// <summary>A crop rectangle in source pixels.</summary>
public readonly record struct CropBox(int Top, int Left, int Height, int Width);

public static class RandomResizedCrop
{
    public const int Tries = 10;

    public static CropBox Sample(int height, int width, (double Min, double Max) scale, (double Min, double Max) ratio, ref DataRandom rng)
    {
        double area = (double)height * width;
        double logMin = Math.Log(ratio.Min), logMax = Math.Log(ratio.Max);
        for (int attempt = 0; attempt < Tries; attempt++)
        {
            double targetArea = area * rng.Uniform(scale.Min, scale.Max);
            double aspect = Math.Exp(rng.Uniform(logMin, logMax));
            int w = (int)Math.Round(Math.Sqrt(targetArea * aspect));
            int h = (int)Math.Round(Math.Sqrt(targetArea / aspect));
            if (0 < w && w <= width && 0 < h && h <= height)
            {
                int top = rng.NextInt(height - h + 1);
                int left = rng.NextInt(width - w + 1);
                return new CropBox(top, left, h, w);
            }
        }
        return Fallback(height, width, ratio);
    }

    /// <summary>torchvision's fallback: the whole image, or its centre cut to the nearest allowed aspect ratio.</summary>
    public static CropBox Fallback(int height, int width, (double Min, double Max) ratio)
    {
        double inRatio = (double)width / height;
        int w = width, h = height;
        if (inRatio < ratio.Min) h = (int)Math.Round(w / ratio.Min);
        else if (inRatio > ratio.Max) w = (int)Math.Round(h * ratio.Max);
        return new CropBox((height - h) / 2, (width - w) / 2, h, w);
    }

    /// <summary>The centred largest square (the evaluation crop).</summary>
    public static CropBox CenterSquare(int height, int width)
    {
        int side = Math.Min(height, width);
        return new CropBox((height - side) / 2, (width - side) / 2, side, side);
    }
}
