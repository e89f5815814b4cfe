// ijepa's make_transforms (src/transforms.py): RandomResizedCrop(crop_size, scale=crop_scale) →
// [RandomHorizontalFlip] → [color distortion] → [GaussianBlur(p=0.5)] → ToTensor → Normalize.
// Random numbers are drawn in that order from the sample's own generator; a disabled step draws none.
namespace IJepa.Ort.Data;

/// <summary>Turns one HWC byte image into normalised float CHW. Holds scratch: one instance per thread.</summary>
public sealed class ImageAugmenter
{
    private readonly AugmentOptions _options;
    private readonly BilinearResampler _resampler = new();
    private readonly GaussianBlur _blur = new();
    private readonly Dictionary<int, (float[] Mean, float[] Std)> _normalization = [];
    private float[] _work = [];

    public ImageAugmenter(AugmentOptions options)
    {
        options.Validate();
        _options = options;
    }

    public AugmentOptions Options => _options;

    /// <summary>Output channels for a source with <paramref name="sourceChannels"/> channels.</summary>
    public int OutputChannels(int sourceChannels) => _options.OutChannels ?? sourceChannels;

    /// <summary>
    /// Augments <paramref name="src"/> into <paramref name="dst"/>: [C, CropSize, CropSize] floats, normalised.
    /// </summary>
    public void Apply(ImageBuffer src, ref DataRandom rng, Span<float> dst)
    {
        int size = _options.CropSize, plane = size * size;
        int inChannels = src.Channels, outChannels = OutputChannels(inChannels);
        if (dst.Length != outChannels * plane)
            throw new ArgumentException($"destination holds {dst.Length} floats, expected {outChannels}x{size}x{size}", nameof(dst));

        // The working image has the output's channel count (the source's while resizing, if larger).
        int workChannels = Math.Max(inChannels, outChannels);
        if (_work.Length < workChannels * plane) _work = new float[workChannels * plane];
        var work = _work.AsSpan(0, workChannels * plane);

        var box = _options.RandomCrop
            ? RandomResizedCrop.Sample(src.Height, src.Width, _options.CropScale, _options.Ratio, ref rng)
            : RandomResizedCrop.CenterSquare(src.Height, src.Width);
        _resampler.Resize(src, box, size, size, work);                 // [Cin, S, S] in [0, 1]
        ConvertChannels(work, inChannels, outChannels, plane);         // [Cout, S, S]
        var image = work[..(outChannels * plane)];

        if (_options.HorizontalFlip && rng.NextDouble() < 0.5) FlipHorizontal(image, outChannels, size);
        if (_options.ColorDistortion) ColorDistortion.Apply(image, outChannels, plane, _options.ColorJitterStrength, ref rng);
        if (_options.GaussianBlur) _blur.Apply(image, outChannels, size, size, ref rng);
        Normalize(image, dst, outChannels, plane);
    }

    private static void ConvertChannels(Span<float> work, int from, int to, int plane)
    {
        if (from == to) return;
        if (from == 1)
        {
            // PIL convert('RGB') of a grey image: the same value in every channel.
            work[..plane].CopyTo(work.Slice(plane, plane));
            work[..plane].CopyTo(work.Slice(2 * plane, plane));
        }
        else
        {
            // PIL convert('L'): ITU-R 601 luma.
            for (int p = 0; p < plane; p++) work[p] = 0.299f * work[p] + 0.587f * work[plane + p] + 0.114f * work[2 * plane + p];
        }
    }

    private static void FlipHorizontal(Span<float> image, int channels, int size)
    {
        for (int row = 0; row < channels * size; row++) image.Slice(row * size, size).Reverse();
    }

    private void Normalize(ReadOnlySpan<float> image, Span<float> dst, int channels, int plane)
    {
        if (!_normalization.TryGetValue(channels, out var stats))
            _normalization[channels] = stats = _options.NormalizationFor(channels);
        for (int c = 0; c < channels; c++)
        {
            float mean = stats.Mean[c], std = stats.Std[c];
            var from = image.Slice(c * plane, plane);
            var to = dst.Slice(c * plane, plane);
            for (int p = 0; p < plane; p++) to[p] = (from[p] - mean) / std;
        }
    }
}
