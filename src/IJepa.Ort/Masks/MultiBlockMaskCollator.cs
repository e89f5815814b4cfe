// Multi-block masking: a port of facebookresearch/ijepa src/masks/multiblock.py (MaskCollator) without the image collation.
namespace IJepa.Ort.Masks;

/// <summary>
/// Draws I-JEPA's context and target masks for a batch, as upstream's <c>MaskCollator.__call__</c>:
/// <list type="number">
/// <item>the target and context block sizes, once per batch, from a generator seeded by the step;</item>
/// <item>per image, <c>num_pred_masks</c> target blocks at random positions;</item>
/// <item>per image, one context block, cut by the complement of every target block (unless <c>allow_overlap</c>);
/// after 20 tries with ≤ <c>min_keep</c> patches, one exclusion (the last target) is dropped, and so on;</item>
/// <item>every mask truncated to the shortest of its kind in the batch.</item>
/// </list>
/// Deviations: (a) upstream draws positions from torch's global RNG; here sizes and positions come from
/// <see cref="StepRng"/> streams seeded by (seed, step), so the masks of step k are the same whenever step k runs
/// (resume included). (b) Upstream draws a corner with <c>randint(0, H − h)</c>, whose exclusive bound never puts a
/// block on the last row or column (issue #60); by default the bound is inclusive, and
/// <see cref="MaskSettings.UpstreamBounds"/> restores upstream's. One instance is not thread-safe.
/// </summary>
public sealed class MultiBlockMaskCollator : IMaskSource
{
    private const int Timeout = 20;          // upstream's og_timeout: tries before an exclusion is dropped
    private const ulong SizeStream = 0;      // the per-batch block sizes (upstream's seeded generator g)
    private const ulong PositionStream = 1;  // the per-image block positions (upstream's global torch RNG)

    private readonly ulong _seed;
    private readonly int _height, _width;
    private readonly (int Top, int Left)[] _targetCorners; // this image's target blocks: the context's exclusions
    private BlockSize _targetSize;                          // this batch's target block size

    public MultiBlockMaskCollator(MaskSettings settings, ulong seed)
    {
        foreach (var (key, problem) in settings.Problems())
            throw new ArgumentException($"{key}: {problem}", nameof(settings));
        Settings = settings;
        _seed = seed;
        _height = settings.GridHeight;
        _width = settings.GridWidth;
        _targetCorners = new (int, int)[settings.NumPredMasks];
    }

    public MaskSettings Settings { get; }

    /// <summary>Buffers for batches of <paramref name="batchSize"/> images on this collator's grid.</summary>
    public MaskBatch NewBatch(int batchSize) => new(batchSize, Settings.NumPredMasks, Settings.NumPatches);

    /// <summary>Writes the masks of global step <paramref name="step"/> (0-based, upstream's collator counter) into <paramref name="into"/>.</summary>
    public void Sample(long step, MaskBatch into)
    {
        var s = Settings;
        int n = s.NumPatches, batch = into.BatchSize, numTargets = s.NumPredMasks;
        if (into.NumPatches != n || into.NumTargets != numTargets)
            throw new ArgumentException($"batch buffers are for {into.NumTargets} targets on {into.NumPatches} patches, not {numTargets} on {n}", nameof(into));

        // 1-2. Block sizes for the whole batch: one draw for the targets, then one for the context (aspect 1).
        var sizes = new StepRng(_seed, step, SizeStream);
        var targetSize = s.BlockSizeAt(sizes.NextFloat32(), s.PredMaskScale, s.AspectRatio);
        var contextSize = s.BlockSizeAt(sizes.NextFloat32(), s.EncMaskScale, (1.0, 1.0));
        _targetSize = targetSize;
        foreach (var size in (ReadOnlySpan<BlockSize>)[targetSize, contextSize])
            if (size.Area <= s.MinKeep)
                throw new InvalidOperationException($"step {step}: a {size} block can never hold more than min_keep {s.MinKeep} patches");

        // 3-4. Positions per image: targets first, then the context around them.
        var rng = new StepRng(_seed, step, PositionStream);
        int shortestTarget = n, shortestContext = n, relaxations = 0;
        for (int b = 0; b < batch; b++)
        {
            for (int m = 0; m < numTargets; m++)
            {
                var dest = into.Target.AsSpan((m * batch + b) * n, n);
                int length = PlaceBlock(ref rng, targetSize, 0, dest, out _targetCorners[m], ref relaxations);
                shortestTarget = Math.Min(shortestTarget, length);
            }
            int exclusions = s.AllowOverlap ? 0 : numTargets;
            int contextLength = PlaceBlock(ref rng, contextSize, exclusions, into.Context.AsSpan(b * n, n), out _, ref relaxations);
            shortestContext = Math.Min(shortestContext, contextLength);
        }

        // 5. Every mask keeps the first (lowest) indices, as many as the shortest of its kind.
        Truncate(into.Target, numTargets * batch, n, shortestTarget);
        Truncate(into.Context, batch, n, shortestContext);
        into.Set(step, shortestContext, shortestTarget, contextSize, targetSize, relaxations);
    }

    /// <summary>
    /// Upstream's <c>_sample_block_mask</c>: draws a corner until the block, minus the first
    /// <c>exclusions − tries</c> target blocks of this image, has more than min_keep patches; every
    /// <see cref="Timeout"/> failures one more exclusion is dropped. Writes the sorted indices to <paramref name="dest"/>.
    /// </summary>
    private int PlaceBlock(ref StepRng rng, BlockSize size, int exclusions, Span<long> dest, out (int Top, int Left) corner, ref int relaxations)
    {
        int tries = 0, timeout = Timeout;
        while (true)
        {
            int top = Corner(ref rng, _height, size.Height);
            int left = Corner(ref rng, _width, size.Width);
            int active = Math.Max(exclusions - tries, 0);
            int count = 0;
            for (int r = top; r < top + size.Height; r++)
                for (int c = left; c < left + size.Width; c++)
                    if (!InTargets(r, c, active))
                        dest[count++] = (long)r * _width + c;
            if (count > Settings.MinKeep)
            {
                corner = (top, left);
                return count;
            }
            if (--timeout == 0)
            {
                tries++;
                relaxations++;
                timeout = Timeout;
            }
        }
    }

    // Upstream: torch.randint(0, H - h), so the corner never reaches H - h; fixed: [0, H - h] inclusive.
    private int Corner(ref StepRng rng, int extent, int blockExtent)
        => rng.NextInt(Settings.UpstreamBounds ? extent - blockExtent : extent - blockExtent + 1);

    // Whether patch (r, c) lies in one of this image's first `count` target blocks.
    private bool InTargets(int r, int c, int count)
    {
        int th = _targetSize.Height, tw = _targetSize.Width;
        for (int k = 0; k < count; k++)
        {
            var (top, left) = _targetCorners[k];
            if (r >= top && r < top + th && c >= left && c < left + tw) return true;
        }
        return false;
    }

    private static void Truncate(long[] buffer, int rows, int stride, int length)
    {
        // In place, front to back: row i moves from i·stride to i·length ≤ i·stride, never over a row not yet moved.
        for (int i = 1; i < rows; i++)
            buffer.AsSpan(i * stride, length).CopyTo(buffer.AsSpan(i * length, length));
    }
}
