// MultiBlockMaskCollator: the properties of upstream's multi-block masks, over many seeds and steps.
using IJepa.Ort.Masks;

namespace IJepa.Ort.Tests.Masks;

[TestFixture]
public class MultiBlockMaskCollatorTests
{
    // The official masking on ViT-H/14's 16x16 grid, and the small presets' grids.
    private static readonly MaskSettings Official = new(16, 16, (0.85, 1.0), (0.15, 0.2), (0.75, 1.5));
    private static readonly MaskSettings Micro = new(7, 7, (0.85, 1.0), (0.1, 0.15), (0.75, 1.5), MinKeep: 3);
    private static readonly MaskSettings Tiny32 = new(8, 8, (0.85, 1.0), (0.15, 0.2), (0.75, 1.5), MinKeep: 4);

    private static IEnumerable<TestCaseData> Grids()
    {
        yield return new TestCaseData(Official).SetArgDisplayNames("official16");
        yield return new TestCaseData(Micro).SetArgDisplayNames("micro7");
        yield return new TestCaseData(Tiny32).SetArgDisplayNames("tiny8");
        yield return new TestCaseData(Official with { UpstreamBounds = true }).SetArgDisplayNames("official16-upstream");
    }

    // Every (seed, step) batch of a few seeds.
    private static IEnumerable<MaskBatch> Batches(MaskSettings settings, int batchSize = 16, int seeds = 4, int steps = 30)
    {
        for (ulong seed = 0; seed < (ulong)seeds; seed++)
        {
            var collator = new MultiBlockMaskCollator(settings, seed * 7919 + 1);
            var batch = collator.NewBatch(batchSize);
            for (long step = 0; step < steps; step++)
            {
                collator.Sample(step, batch);
                yield return batch;
            }
        }
    }

    private static (int Low, int High) SideRange(int cells, (double Min, double Max) scale, (double Min, double Max) aspect, bool height, int limit)
    {
        int nLow = (int)(cells * scale.Min), nHigh = (int)(cells * scale.Max);
        double low = height ? Math.Sqrt(nLow * aspect.Min) : Math.Sqrt(nLow / aspect.Max);
        double high = height ? Math.Sqrt(nHigh * aspect.Max) : Math.Sqrt(nHigh / aspect.Min);
        return (Math.Min((int)Math.Round(low), limit - 1), Math.Min((int)Math.Round(high), limit - 1));
    }

    [TestCaseSource(nameof(Grids))]
    public void Sample_ManySeeds_BlockSizesWithinScaleAndAspectRanges(MaskSettings s)
    {
        int cells = s.NumPatches;
        var th = SideRange(cells, s.PredMaskScale, s.AspectRatio, true, s.GridHeight);
        var tw = SideRange(cells, s.PredMaskScale, s.AspectRatio, false, s.GridWidth);
        var ch = SideRange(cells, s.EncMaskScale, (1, 1), true, s.GridHeight);
        var cw = SideRange(cells, s.EncMaskScale, (1, 1), false, s.GridWidth);
        foreach (var batch in Batches(s))
        {
            var (t, c) = (batch.TargetBlock, batch.ContextBlock);
            Assert.That(t.Height, Is.InRange(th.Low, th.High), $"target {t}");
            Assert.That(t.Width, Is.InRange(tw.Low, tw.High), $"target {t}");
            Assert.That(c.Height, Is.InRange(ch.Low, ch.High), $"context {c}");
            Assert.That(c.Width, Is.InRange(cw.Low, cw.High), $"context {c}");
            Assert.That(t.Area, Is.LessThanOrEqualTo((int)(cells * s.PredMaskScale.Max) + t.Height + t.Width), "rounding adds at most a row and a column");
        }
    }

    [TestCaseSource(nameof(Grids))]
    public void Sample_ManySeeds_TargetsAreFullBlocksOfTheDrawnSize(MaskSettings s)
    {
        foreach (var batch in Batches(s))
        {
            var size = batch.TargetBlock;
            Assert.That(batch.TargetLength, Is.EqualTo(size.Area));
            for (int m = 0; m < batch.NumTargets; m++)
                for (int b = 0; b < batch.BatchSize; b++)
                {
                    var t = batch.TargetOf(m, b);
                    long top = t[0] / s.GridWidth, left = t[0] % s.GridWidth;
                    int j = 0;
                    while (j < t.Length && t[j] == (top + j / size.Width) * s.GridWidth + left + j % size.Width) j++;
                    if (j < t.Length) Assert.Fail($"step {batch.Step} image {b} target {m} is not a {size} block: [{string.Join(", ", t.ToArray())}]");
                }
        }
    }

    [TestCaseSource(nameof(Grids))]
    public void Sample_NoOverlap_ContextDisjointFromEveryTarget(MaskSettings s)
    {
        int batches = 0, relaxed = 0;
        foreach (var batch in Batches(s))
        {
            batches++;
            if (batch.Relaxations > 0) { relaxed++; continue; } // a dropped exclusion may overlap its target, as upstream
            for (int b = 0; b < batch.BatchSize; b++)
            {
                var inContext = new bool[s.NumPatches];
                foreach (long i in batch.ContextOf(b)) inContext[i] = true;
                for (int m = 0; m < batch.NumTargets; m++)
                    foreach (long i in batch.TargetOf(m, b))
                        if (inContext[i]) Assert.Fail($"step {batch.Step} image {b}: patch {i} is in the context and target {m}");
            }
        }
        Assert.That(relaxed, Is.LessThan(batches / 10), "these settings rarely need to drop an exclusion");
    }

    [Test]
    public void Sample_TargetsCoverTheGrid_DropsExclusionsAndStillKeepsMoreThanMinKeep()
    {
        var crowded = new MaskSettings(8, 8, (0.85, 1.0), (0.4, 0.5), (1.0, 1.0), NumPredMasks: 4, MinKeep: 8);
        int relaxations = 0;
        foreach (var batch in Batches(crowded, steps: 10))
        {
            relaxations += batch.Relaxations;
            Assert.That(batch.ContextLength, Is.GreaterThan(crowded.MinKeep));
        }
        Assert.That(relaxations, Is.GreaterThan(0));
    }

    [TestCaseSource(nameof(Grids))]
    public void Sample_ManySeeds_RespectsMinKeep(MaskSettings s)
    {
        foreach (var batch in Batches(s))
        {
            Assert.That(batch.ContextLength, Is.GreaterThan(s.MinKeep));
            Assert.That(batch.TargetLength, Is.GreaterThan(s.MinKeep));
        }
    }

    [TestCaseSource(nameof(Grids))]
    public void Sample_ManySeeds_SortedUniqueIndicesInRangeAndEqualLengths(MaskSettings s)
    {
        foreach (var batch in Batches(s))
        {
            Assert.That(batch.ContextSpan.Length, Is.EqualTo(batch.BatchSize * batch.ContextLength));
            Assert.That(batch.TargetSpan.Length, Is.EqualTo(batch.NumTargets * batch.BatchSize * batch.TargetLength));
            Assert.That(batch.ContextShape, Is.EqualTo(new long[] { batch.BatchSize, batch.ContextLength }));
            Assert.That(batch.TargetShape, Is.EqualTo(new long[] { batch.NumTargets, batch.BatchSize, batch.TargetLength }));
            for (int b = 0; b < batch.BatchSize; b++)
            {
                AssertSortedInRange(batch.ContextOf(b), s.NumPatches);
                for (int m = 0; m < batch.NumTargets; m++) AssertSortedInRange(batch.TargetOf(m, b), s.NumPatches);
            }
        }
    }

    private static void AssertSortedInRange(ReadOnlySpan<long> mask, int n)
    {
        bool ok = mask[0] >= 0 && mask[^1] < n;
        for (int j = 1; j < mask.Length; j++) ok &= mask[j] > mask[j - 1];
        if (!ok) Assert.Fail($"not sorted, unique and in [0, {n}): [{string.Join(", ", mask.ToArray())}]");
    }

    [Test]
    public void Sample_ContextOfEachImage_IsTheLowestIndicesOfItsBlockMinusTargets()
    {
        // With no targets to cut out (allow_overlap), every context is its full block, so truncation keeps its first rows.
        var s = Official with { AllowOverlap = true };
        foreach (var batch in Batches(s, seeds: 2, steps: 10))
        {
            var size = batch.ContextBlock;
            Assert.That(batch.ContextLength, Is.EqualTo(size.Area));
            for (int b = 0; b < batch.BatchSize; b++)
            {
                var c = batch.ContextOf(b);
                long top = c[0] / s.GridWidth, left = c[0] % s.GridWidth;
                Assert.That(c[^1], Is.EqualTo((top + size.Height - 1) * s.GridWidth + left + size.Width - 1));
            }
        }
    }

    [Test]
    public void Sample_AllowOverlap_ContextsOverlapTargetsSometimes()
    {
        bool overlap = Batches(Official with { AllowOverlap = true }, seeds: 1, steps: 5)
            .Any(batch => batch.ContextOf(0).ToArray().Intersect(batch.TargetOf(0, 0).ToArray()).Any());
        Assert.That(overlap, Is.True);
    }

    [Test]
    public void Sample_SameSeedAndStep_SameMasksWhateverCameBefore()
    {
        var straight = new MultiBlockMaskCollator(Official, 42);
        var resumed = new MultiBlockMaskCollator(Official, 42);
        var a = straight.NewBatch(8);
        var b = resumed.NewBatch(8);
        for (long step = 0; step <= 25; step++) straight.Sample(step, a);
        resumed.Sample(25, b);
        Assert.Multiple(() =>
        {
            Assert.That(b.ContextSpan.ToArray(), Is.EqualTo(a.ContextSpan.ToArray()));
            Assert.That(b.TargetSpan.ToArray(), Is.EqualTo(a.TargetSpan.ToArray()));
            Assert.That((b.ContextLength, b.TargetLength, b.ContextBlock, b.TargetBlock), Is.EqualTo((a.ContextLength, a.TargetLength, a.ContextBlock, a.TargetBlock)));
        });
    }

    [Test]
    public void Sample_DifferentSeedOrStep_DifferentMasks()
    {
        var collator = new MultiBlockMaskCollator(Official, 42);
        var a = collator.NewBatch(8);
        var b = collator.NewBatch(8);
        var c = collator.NewBatch(8);
        collator.Sample(3, a);
        collator.Sample(4, b);
        new MultiBlockMaskCollator(Official, 43).Sample(3, c);
        Assert.That(b.ContextSpan.ToArray(), Is.Not.EqualTo(a.ContextSpan.ToArray()));
        Assert.That(c.ContextSpan.ToArray(), Is.Not.EqualTo(a.ContextSpan.ToArray()));
    }

    [Test]
    public void Sample_UpstreamBounds_NeverTouchesLastRowOrColumn()
    {
        var s = Micro with { UpstreamBounds = true };
        var (rows, cols) = Coverage(s);
        Assert.That(rows[s.GridHeight - 1] + cols[s.GridWidth - 1], Is.Zero);
        Assert.That(rows[..^1].All(n => n > 0) && cols[..^1].All(n => n > 0), Is.True);
    }

    [Test]
    public void Sample_FixedBounds_ReachesLastRowAndColumn()
    {
        var (rows, cols) = Coverage(Micro);
        Assert.That(rows.All(n => n > 0) && cols.All(n => n > 0), Is.True);
    }

    // How often each grid row and column appears in any context or target mask over many draws.
    private static (int[] Rows, int[] Cols) Coverage(MaskSettings s)
    {
        var rows = new int[s.GridHeight];
        var cols = new int[s.GridWidth];
        foreach (var batch in Batches(s, batchSize: 8, seeds: 3, steps: 50))
            foreach (long i in batch.ContextSpan.ToArray().Concat(batch.TargetSpan.ToArray()))
            {
                rows[i / s.GridWidth]++;
                cols[i % s.GridWidth]++;
            }
        return (rows, cols);
    }

    [Test]
    public void Sample_AfterWarmUp_AllocatesNothing()
    {
        var collator = new MultiBlockMaskCollator(Official, 0);
        var batch = collator.NewBatch(32);
        collator.Sample(0, batch);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (long step = 1; step <= 20; step++) collator.Sample(step, batch);
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    [Test]
    public void NewBatch_Buffers_HaveFullCapacity()
    {
        var batch = new MultiBlockMaskCollator(Official, 0).NewBatch(4);
        Assert.That((batch.Context.Length, batch.Target.Length, batch.Step), Is.EqualTo((4 * 256, 4 * 4 * 256, -1L)));
    }

    [Test]
    public void Sample_BatchForAnotherGrid_Throws()
    {
        var batch = new MultiBlockMaskCollator(Micro, 0).NewBatch(4);
        Assert.Throws<ArgumentException>(() => new MultiBlockMaskCollator(Official, 0).Sample(0, batch));
    }

    [Test]
    public void Constructor_TwoContextBlocks_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => new MultiBlockMaskCollator(Official with { NumEncMasks = 2 }, 0))!;
        Assert.That(e.Message, Does.StartWith("mask.num_enc_masks: only 1 context block is supported"));
    }

    [Test]
    public void Constructor_MinKeepNotBelowSmallestTarget_Throws()
    {
        // Upstream's min_keep 10 on an 8x8 grid: a 3x3 target never qualifies and its sampler would loop forever.
        var e = Assert.Throws<ArgumentException>(() => new MultiBlockMaskCollator(Tiny32 with { MinKeep = 10 }, 0))!;
        Assert.That(e.Message, Does.StartWith("mask.min_keep: 10 is not below the smallest target block (3x3 = 9 patches"));
    }
}
