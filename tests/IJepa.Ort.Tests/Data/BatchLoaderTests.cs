using IJepa.Ort.Data;
using IJepa.Ort.Errors;

namespace IJepa.Ort.Tests.Data;

public class BatchLoaderTests
{
    private static readonly AugmentOptions Augment = new() { CropSize = 6, HorizontalFlip = true, ColorDistortion = true };

    /// <summary>Every batch of a run: (epoch, step, indices, labels, pixels).</summary>
    private static List<(int Epoch, int Step, int[] Indices, int[] Labels, float[] Pixels)> Drain(
        IImageDataset dataset, BatchLoaderOptions options, int maxBatches = int.MaxValue)
    {
        var batches = new List<(int, int, int[], int[], float[])>();
        using var loader = new BatchLoader(dataset, Augment, options);
        while (batches.Count < maxBatches && loader.TryNext(out var batch))
            batches.Add((batch.Epoch, batch.Step, batch.Indices[..batch.Count], batch.Labels[..batch.Count], batch.Pixels.ToArray()));
        return batches;
    }

    private static ImageBatch Next(BatchLoader loader)
    {
        Assert.That(loader.TryNext(out var batch), Is.True);
        return batch!;
    }

    [Test]
    public void TryNext_SameSeed_IdenticalBatches()
    {
        var dataset = new SyntheticDataset(40);
        var options = new BatchLoaderOptions { BatchSize = 8, NumWorkers = 2, Seed = 11, Epochs = 2 };

        var first = Drain(dataset, options);
        var second = Drain(dataset, options);

        Assert.That(first, Has.Count.EqualTo(10));
        for (int b = 0; b < first.Count; b++)
        {
            Assert.That(second[b].Indices, Is.EqualTo(first[b].Indices));
            Assert.That(second[b].Pixels, Is.EqualTo(first[b].Pixels));
        }
    }

    [Test]
    public void TryNext_DifferentSeeds_DifferentBatches()
    {
        var dataset = new SyntheticDataset(40);

        var a = Drain(dataset, new BatchLoaderOptions { BatchSize = 8, Seed = 1, Epochs = 1 });
        var b = Drain(dataset, new BatchLoaderOptions { BatchSize = 8, Seed = 2, Epochs = 1 });

        Assert.That(b[0].Indices, Is.Not.EqualTo(a[0].Indices));
        Assert.That(b[0].Pixels, Is.Not.EqualTo(a[0].Pixels));
    }

    [Test]
    public void TryNext_ManyWorkersWithUnevenTiming_SameBatchesInOrderAsInline()
    {
        var dataset = new SyntheticDataset(60, jitter: true);
        var inline = Drain(dataset, new BatchLoaderOptions { BatchSize = 6, NumWorkers = 0, Seed = 5, Epochs = 2 });

        var threaded = Drain(dataset, new BatchLoaderOptions { BatchSize = 6, NumWorkers = 4, Prefetch = 3, Seed = 5, Epochs = 2 });

        Assert.That(threaded.Select(b => (b.Epoch, b.Step)), Is.EqualTo(inline.Select(b => (b.Epoch, b.Step))));
        for (int b = 0; b < inline.Count; b++)
        {
            Assert.That(threaded[b].Indices, Is.EqualTo(inline[b].Indices), $"batch {b}");
            Assert.That(threaded[b].Pixels, Is.EqualTo(inline[b].Pixels), $"batch {b}");
        }
    }

    [Test]
    public void TryNext_OneEpoch_IsAPermutationWithMatchingLabels()
    {
        var dataset = new SyntheticDataset(30, classes: 4);

        var batches = Drain(dataset, new BatchLoaderOptions { BatchSize = 5, Seed = 9, Epochs = 1 });

        var indices = batches.SelectMany(b => b.Indices).ToArray();
        Assert.That(indices.Order(), Is.EqualTo(Enumerable.Range(0, 30)));
        Assert.That(indices, Is.Not.EqualTo(Enumerable.Range(0, 30)));
        Assert.That(batches.SelectMany(b => b.Labels), Is.EqualTo(indices.Select(i => i % 4)));
    }

    [Test]
    public void TryNext_SuccessiveEpochs_ShuffleDifferently()
    {
        var batches = Drain(new SyntheticDataset(30), new BatchLoaderOptions { BatchSize = 30, Seed = 9, Epochs = 2 });

        Assert.That(batches[1].Indices, Is.Not.EqualTo(batches[0].Indices));
    }

    [Test]
    public void StepsPerEpoch_DropLastAndIpe_MatchUpstream()
    {
        var dataset = new SyntheticDataset(23);

        using var dropLast = new BatchLoader(dataset, Augment, new BatchLoaderOptions { BatchSize = 5, NumWorkers = 0 });
        using var keepLast = new BatchLoader(dataset, Augment, new BatchLoaderOptions { BatchSize = 5, NumWorkers = 0, DropLast = false });
        using var capped = new BatchLoader(dataset, Augment, new BatchLoaderOptions { BatchSize = 5, NumWorkers = 0, Ipe = 2 });

        Assert.That((dropLast.StepsPerEpoch, keepLast.StepsPerEpoch, capped.StepsPerEpoch), Is.EqualTo((4, 5, 2)));
    }

    [Test]
    public void TryNext_KeepLast_LastBatchIsPartial()
    {
        var batches = Drain(new SyntheticDataset(23), new BatchLoaderOptions { BatchSize = 5, DropLast = false, Shuffle = false, Epochs = 1 });

        Assert.That(batches.Select(b => b.Indices.Length), Is.EqualTo(new[] { 5, 5, 5, 5, 3 }));
        Assert.That(batches[4].Indices, Is.EqualTo(new[] { 20, 21, 22 }));
    }

    [Test]
    public void TryNext_ResumeMidEpoch_ContinuesTheSameSequence()
    {
        var dataset = new SyntheticDataset(24);
        var full = Drain(dataset, new BatchLoaderOptions { BatchSize = 4, Seed = 3, Epochs = 3 });

        var resumed = Drain(dataset, new BatchLoaderOptions { BatchSize = 4, Seed = 3, Epochs = 3, StartEpoch = 1, StartStep = 4 });

        Assert.That(resumed, Has.Count.EqualTo(full.Count - 10));
        Assert.That((resumed[0].Epoch, resumed[0].Step), Is.EqualTo((1, 4)));
        for (int b = 0; b < resumed.Count; b++)
        {
            Assert.That(resumed[b].Indices, Is.EqualTo(full[b + 10].Indices));
            Assert.That(resumed[b].Pixels, Is.EqualTo(full[b + 10].Pixels));
        }
    }

    [Test]
    public void TryNext_BuffersAreReused()
    {
        using var loader = new BatchLoader(new SyntheticDataset(40), Augment, new BatchLoaderOptions { BatchSize = 4, Prefetch = 1 });
        var seen = new HashSet<float[]>(ReferenceEqualityComparer.Instance);

        for (int i = 0; i < 8; i++)
        {
            seen.Add(Next(loader).Images);
        }

        Assert.That(seen, Has.Count.EqualTo(2));
    }

    [Test]
    public void TryNext_UnreadableImages_ReplacedAndCounted()
    {
        var dataset = new SyntheticDataset(12, unreadable: new HashSet<int> { 3, 4 });

        using var loader = new BatchLoader(dataset, Augment, new BatchLoaderOptions { BatchSize = 12, Shuffle = false, Epochs = 1 });
        var batch = Next(loader);

        Assert.That(batch.Indices, Is.EqualTo(new[] { 0, 1, 2, 5, 5, 5, 6, 7, 8, 9, 10, 11 }));
        Assert.That((batch.Skipped, loader.SkippedCount), Is.EqualTo((2, 2)));
    }

    private static List<int> CountsPerBatch(BatchLoaderOptions options, IReadOnlyCollection<int>? known = null)
    {
        var dataset = new SyntheticDataset(24, unreadable: new HashSet<int> { 1, 5, 11, 17, 23 }, jitter: true);
        using var loader = new BatchLoader(dataset, Augment, options with { Unreadable = known });
        var counts = new List<int>();
        while (loader.TryNext(out _)) counts.Add(loader.SkippedCount);
        return counts;
    }

    [Test]
    public void SkippedCount_AnyWorkerTiming_IsAFunctionOfTheBatchesHandedOut()
    {
        var options = new BatchLoaderOptions { BatchSize = 4, Epochs = 2, Seed = 3 };
        // Prefetching workers meet bad files of later batches early; the count must not show them before their batch.
        Assert.That(CountsPerBatch(options with { NumWorkers = 3, Prefetch = 4 }), Is.EqualTo(CountsPerBatch(options with { NumWorkers = 0 })));
    }

    [Test]
    public void Unreadable_SeededOnResume_CountContinuesAsInOneRun()
    {
        var options = new BatchLoaderOptions { BatchSize = 4, Epochs = 2, Seed = 3, NumWorkers = 0 };
        var whole = CountsPerBatch(options);
        var dataset = new SyntheticDataset(24, unreadable: new HashSet<int> { 1, 5, 11, 17, 23 });
        IReadOnlyList<int> known;
        using (var first = new BatchLoader(dataset, Augment, options))
        {
            for (int i = 0; i < 7; i++) first.TryNext(out _);
            known = first.UnreadableIndices;
        }
        var rest = CountsPerBatch(options with { StartEpoch = 1, StartStep = 1 }, known);
        Assert.That(rest, Is.EqualTo(whole.Skip(7)));
    }

    [Test]
    public void SkippedCount_SameBadFilesEveryEpoch_CountsEachFileOnce()
    {
        var dataset = new SyntheticDataset(12, unreadable: new HashSet<int> { 3, 4, 9, 10 });

        using var loader = new BatchLoader(dataset, Augment, new BatchLoaderOptions { BatchSize = 4, Epochs = 5, NumWorkers = 2 });
        int replaced = 0;
        while (loader.TryNext(out var batch)) replaced += batch.Skipped;

        Assert.That(loader.SkippedCount, Is.EqualTo(4));
        Assert.That(replaced, Is.GreaterThan(4));
    }

    [Test]
    public void TryNext_ImageFolderWithCorruptFile_SkipsAndCounts()
    {
        using var temp = new TempDirectory();
        for (int i = 0; i < 3; i++)
            TestImages.Write(temp.Combine("a", $"{i}.png"), 10, 12, SkiaSharp.SKEncodedImageFormat.Png, seed: i);
        File.WriteAllText(temp.Combine("a", "3.png"), "not a png");
        var dataset = new ImageFolderDataset(temp.Path);

        using var loader = new BatchLoader(dataset, Augment, new BatchLoaderOptions { BatchSize = 4, Epochs = 1 });
        var batch = Next(loader);

        Assert.That(batch.Count, Is.EqualTo(4));
        Assert.That(loader.SkippedCount, Is.EqualTo(1));
        Assert.That(dataset.SkippedCount, Is.EqualTo(1));
        Assert.That(batch.Pixels.ToArray(), Has.All.Matches<float>(float.IsFinite));
    }

    [Test]
    public void TryNext_AfterLastEpoch_ReturnsFalse()
    {
        using var loader = new BatchLoader(new SyntheticDataset(10), Augment, new BatchLoaderOptions { BatchSize = 5, Epochs = 1 });

        Assert.That(loader.TryNext(out _) && loader.TryNext(out _), Is.True);
        Assert.That(loader.TryNext(out _), Is.False);
    }

    [Test]
    public void TryNext_Cancelled_Throws()
    {
        using var loader = new BatchLoader(new SyntheticDataset(10), Augment, new BatchLoaderOptions { BatchSize = 5 });
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();

        Assert.Throws<OperationCanceledException>(() => loader.TryNext(out _, cancel.Token));
    }

    [Test]
    public void Dispose_WorkersWaitingOnFullQueue_Returns()
    {
        var loader = new BatchLoader(new SyntheticDataset(100), Augment, new BatchLoaderOptions { BatchSize = 5, NumWorkers = 3 });
        loader.TryNext(out _);
        Thread.Sleep(20);

        var disposing = Task.Run(loader.Dispose);

        Assert.That(disposing.Wait(TimeSpan.FromSeconds(5)), Is.True);
        Assert.Throws<ObjectDisposedException>(() => loader.TryNext(out _));
    }

    [Test]
    public void Dispose_ConsumerWaiting_ConsumerGetsObjectDisposed()
    {
        using var gate = new ManualResetEventSlim();
        var dataset = new HookedDataset(new SyntheticDataset(20), _ => gate.Wait());
        var loader = new BatchLoader(dataset, Augment, new BatchLoaderOptions { BatchSize = 5, NumWorkers = 2 });
        var consumer = Task.Run(() => loader.TryNext(out _));
        Thread.Sleep(50);

        var disposing = Task.Run(loader.Dispose);

        Assert.That(() => consumer.Wait(TimeSpan.FromSeconds(5)), Throws.InstanceOf<AggregateException>()
            .With.InnerException.InstanceOf<ObjectDisposedException>());
        gate.Set();
        Assert.That(disposing.Wait(TimeSpan.FromSeconds(5)), Is.True);
    }

    [Test]
    public void TryNext_DatasetThrows_ExceptionReachesConsumer()
    {
        var dataset = new HookedDataset(new SyntheticDataset(20), i => { if (i == 7) throw new DataException("boom"); });
        using var loader = new BatchLoader(dataset, Augment, new BatchLoaderOptions { BatchSize = 5, NumWorkers = 2, Shuffle = false });

        Assert.That(() => { while (loader.TryNext(out _)) { } }, Throws.InstanceOf<DataException>().With.Message.EqualTo("boom"));
    }

    /// <summary>A dataset that runs a hook before every load (to block or fail the workers).</summary>
    private sealed class HookedDataset(IImageDataset inner, Action<int> beforeLoad) : IImageDataset
    {
        public int Count => inner.Count;
        public int Channels => inner.Channels;
        public int NumClasses => inner.NumClasses;
        public IReadOnlyList<string> ClassNames => inner.ClassNames;
        public string Source => inner.Source;
        public int SkippedCount => inner.SkippedCount;
        public int Label(int index) => inner.Label(index);

        public bool TryLoad(int index, ImageBuffer into)
        {
            beforeLoad(index);
            return inner.TryLoad(index, into);
        }
    }

    [Test]
    public void Constructor_FewerImagesThanBatch_ThrowsDataException()
    {
        var error = Assert.Throws<DataException>(() =>
            new BatchLoader(new SyntheticDataset(3), Augment, new BatchLoaderOptions { BatchSize = 4 }));

        Assert.That(error!.Message, Does.StartWith("synthetic: 3 images"));
    }

    [Test]
    public void TryNext_GreyDatasetToRgb_BatchHasThreeChannels()
    {
        using var loader = new BatchLoader(new SyntheticDataset(8, channels: 1), Augment with { OutChannels = 3 },
            new BatchLoaderOptions { BatchSize = 4 });

        var batch = Next(loader);

        Assert.That((batch.Channels, batch.Height, batch.Width, batch.Images.Length), Is.EqualTo((3, 6, 6, 4 * 3 * 36)));
    }
}

public class BatchLoaderShardTests
{
    private static readonly AugmentOptions Augment = new() { CropSize = 6, HorizontalFlip = true };

    [Test]
    public void TryNext_ShardsOfTheGlobalBatch_ConcatenateToOneLoadersBatches()
    {
        var dataset = new SyntheticDataset(50);
        var whole = new BatchLoaderOptions { BatchSize = 12, Seed = 3, Epochs = 2, StartStep = 1 };
        using var one = new BatchLoader(dataset, Augment, whole);
        var shards = Enumerable.Range(0, 3).Select(r => new BatchLoader(dataset, Augment, whole with { BatchSize = 4, Shard = r, Shards = 3 })).ToList();
        try
        {
            Assert.That(shards[0].StepsPerEpoch, Is.EqualTo(one.StepsPerEpoch), "steps per epoch follow the global batch");
            int batches = 0;
            while (one.TryNext(out var expected))
            {
                var indices = new List<int>();
                var pixels = new List<float>();
                foreach (var shard in shards)
                {
                    Assert.That(shard.TryNext(out var part), Is.True);
                    Assert.That((part!.Epoch, part.Step), Is.EqualTo((expected.Epoch, expected.Step)));
                    indices.AddRange(part.Indices[..part.Count]);
                    pixels.AddRange(part.Pixels.ToArray());
                }
                Assert.That(indices, Is.EqualTo(expected.Indices[..expected.Count]));
                Assert.That(pixels, Is.EqualTo(expected.Pixels.ToArray()));
                batches++;
            }
            Assert.That(batches, Is.EqualTo(2 * 4 - 1));
            Assert.That(shards.All(s => !s.TryNext(out _)));
        }
        finally { shards.ForEach(s => s.Dispose()); }
    }

    [Test]
    public void Constructor_ShardOutsideTheJob_Throws() =>
        Assert.Throws<ArgumentException>(() => new BatchLoader(new SyntheticDataset(8), Augment, new BatchLoaderOptions { BatchSize = 2, Shard = 2, Shards = 2 }));
}
