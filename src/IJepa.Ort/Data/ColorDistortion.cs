// ijepa's get_color_distortion(s): RandomApply(ColorJitter(0.8s, 0.8s, 0.8s, 0.2s), p=0.8) then
// RandomGrayscale(p=0.2), ported from torchvision's tensor kernels (planar float in [0, 1], clamped
// after every step). On 1-channel images saturation, hue and grayscale are no-ops, as in torchvision.
namespace IJepa.Ort.Data;

public static class ColorDistortion
{
    public const double JitterProbability = 0.8;
    public const double GrayscaleProbability = 0.2;

    // torchvision's rgb_to_grayscale weights.
    private const float R = 0.2989f, G = 0.587f, B = 0.114f;

    /// <summary>Draws and applies the distortion to planes [C, H, W] in place.</summary>
    public static void Apply(Span<float> image, int channels, int plane, double strength, ref DataRandom rng)
    {
        if (rng.NextDouble() <= JitterProbability) Jitter(image, channels, plane, strength, ref rng);
        if (rng.NextDouble() < GrayscaleProbability && channels == 3) Grayscale(image, plane);
    }

    /// <summary>ColorJitter: brightness, contrast, saturation and hue factors applied in a random order.</summary>
    public static void Jitter(Span<float> image, int channels, int plane, double strength, ref DataRandom rng)
    {
        Span<int> order = [0, 1, 2, 3];
        rng.Shuffle(order);
        double bcs = 0.8 * strength, hue = 0.2 * strength;
        float brightness = (float)rng.Uniform(Math.Max(0, 1 - bcs), 1 + bcs);
        float contrast = (float)rng.Uniform(Math.Max(0, 1 - bcs), 1 + bcs);
        float saturation = (float)rng.Uniform(Math.Max(0, 1 - bcs), 1 + bcs);
        float hueShift = (float)rng.Uniform(-hue, hue);
        foreach (int op in order)
        {
            switch (op)
            {
                case 0: Brightness(image[..(channels * plane)], brightness); break;
                case 1: Contrast(image, channels, plane, contrast); break;
                case 2: if (channels == 3) Saturation(image, plane, saturation); break;
                case 3: if (channels == 3) Hue(image, plane, hueShift); break;
            }
        }
    }

    /// <summary>blend(img, 0, f): img·f, clamped.</summary>
    public static void Brightness(Span<float> image, float factor)
    {
        for (int i = 0; i < image.Length; i++) image[i] = Math.Clamp(image[i] * factor, 0f, 1f);
    }

    /// <summary>blend(img, mean(grayscale(img)), f): the mean is one scalar per image.</summary>
    public static void Contrast(Span<float> image, int channels, int plane, float factor)
    {
        double sum = 0;
        if (channels == 3)
            for (int p = 0; p < plane; p++) sum += R * image[p] + G * image[plane + p] + B * image[2 * plane + p];
        else
            for (int p = 0; p < plane; p++) sum += image[p];
        float mean = (float)(sum / plane);
        Blend(image[..(channels * plane)], factor, mean);
    }

    /// <summary>blend(img, grayscale(img), f).</summary>
    public static void Saturation(Span<float> image, int plane, float factor)
    {
        for (int p = 0; p < plane; p++)
        {
            float gray = R * image[p] + G * image[plane + p] + B * image[2 * plane + p];
            for (int c = 0; c < 3; c++)
            {
                ref float v = ref image[c * plane + p];
                v = Math.Clamp(factor * v + (1 - factor) * gray, 0f, 1f);
            }
        }
    }

    /// <summary>RGB → HSV, h = (h + shift) mod 1, HSV → RGB (torchvision's _rgb2hsv / _hsv2rgb).</summary>
    public static void Hue(Span<float> image, int plane, float shift)
    {
        for (int p = 0; p < plane; p++)
        {
            float r = image[p], g = image[plane + p], b = image[2 * plane + p];
            float max = Math.Max(r, Math.Max(g, b)), min = Math.Min(r, Math.Min(g, b));
            bool flat = max == min;
            float chroma = max - min;
            float s = chroma / (flat ? 1f : max);
            float divisor = flat ? 1f : chroma;
            float rc = (max - r) / divisor, gc = (max - g) / divisor, bc = (max - b) / divisor;
            float h = max == r ? bc - gc : max == g ? 2f + rc - bc : 4f + gc - rc;
            h = PositiveMod(h / 6f + 1f, 1f);
            h = PositiveMod(h + shift, 1f);

            float h6 = h * 6f;
            int sector = (int)MathF.Floor(h6);
            float f = h6 - sector;
            sector %= 6;
            float v = max;
            float pp = Math.Clamp(v * (1f - s), 0f, 1f);
            float q = Math.Clamp(v * (1f - s * f), 0f, 1f);
            float t = Math.Clamp(v * (1f - s * (1f - f)), 0f, 1f);
            (r, g, b) = sector switch
            {
                0 => (v, t, pp),
                1 => (q, v, pp),
                2 => (pp, v, t),
                3 => (pp, q, v),
                4 => (t, pp, v),
                _ => (v, pp, q),
            };
            image[p] = r;
            image[plane + p] = g;
            image[2 * plane + p] = b;
        }
    }

    /// <summary>Replaces every channel by the luma (3 channels stay 3, as RandomGrayscale does).</summary>
    public static void Grayscale(Span<float> image, int plane)
    {
        for (int p = 0; p < plane; p++)
        {
            float gray = R * image[p] + G * image[plane + p] + B * image[2 * plane + p];
            image[p] = image[plane + p] = image[2 * plane + p] = gray;
        }
    }

    private static void Blend(Span<float> image, float factor, float other)
    {
        for (int i = 0; i < image.Length; i++) image[i] = Math.Clamp(factor * image[i] + (1 - factor) * other, 0f, 1f);
    }

    private static float PositiveMod(float x, float m)
    {
        float r = x % m;
        return r < 0 ? r + m : r;
    }
}
