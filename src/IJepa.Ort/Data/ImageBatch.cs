// One batch as the trainer sees it: a reused, pinned float buffer [B, C, H, W] plus labels.
namespace IJepa.Ort.Data;

/// <summary>
/// A batch owned by the <see cref="BatchLoader"/>. It stays valid until the next call to
/// <see cref="BatchLoader.TryNext"/>, after which its buffers are refilled: copy or bind, then move on.
/// </summary>
public sealed class ImageBatch
{
    internal ImageBatch(int batchSize, int channels, int height, int width)
    {
        BatchSize = batchSize;
        Channels = channels;
        Height = height;
        Width = width;
        Images = GC.AllocateArray<float>(batchSize * ImageSize, pinned: true);
        Labels = new int[batchSize];
        Indices = new int[batchSize];
    }

    public int Epoch { get; internal set; }

    /// <summary>Step within the epoch (ijepa's <c>itr</c>).</summary>
    public int Step { get; internal set; }

    /// <summary>Images in this batch: BatchSize, or fewer for a last batch kept with DropLast = false.</summary>
    public int Count { get; internal set; }

    public int BatchSize { get; }
    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }
    public int ImageSize => Channels * Height * Width;

    /// <summary>[BatchSize, C, H, W] contiguous, pinned (its address never moves); the first Count images are valid.</summary>
    public float[] Images { get; }

    /// <summary>Class of each image.</summary>
    public int[] Labels { get; }

    /// <summary>Dataset index of each image (after any substitution of an unreadable one).</summary>
    public int[] Indices { get; }

    /// <summary>Images of this batch that were unreadable and replaced by their next readable successor.</summary>
    public int Skipped { get; internal set; }

    /// <summary>The valid part of <see cref="Images"/>: [Count, C, H, W].</summary>
    public ReadOnlySpan<float> Pixels => Images.AsSpan(0, Count * ImageSize);

    /// <summary>Image <paramref name="i"/>: [C, H, W].</summary>
    public ReadOnlySpan<float> Image(int i) => Images.AsSpan(i * ImageSize, ImageSize);

    public void CopyTo(Span<float> destination) => Pixels.CopyTo(destination);
}
