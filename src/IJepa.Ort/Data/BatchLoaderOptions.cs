// Settings of the background batch loader, after torch's DataLoader + DistributedSampler as ijepa uses them.
namespace IJepa.Ort.Data;

public sealed record BatchLoaderOptions
{
    /// <summary>Images per batch handed out by this loader (with shards: this process's share of the global batch).</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>
    /// Which share of every global batch of <see cref="BatchSize"/>·<see cref="Shards"/> images this loader reads: shard r
    /// gets images [r·BatchSize, (r+1)·BatchSize) of it (data-parallel rank r). Order and augmentation stay a function of
    /// (seed, epoch, index), so the shards of N loaders put together are exactly the batches of one loader.
    /// </summary>
    public int Shard { get; init; }
    public int Shards { get; init; } = 1;

    /// <summary>Images per step over every shard.</summary>
    public int GlobalBatchSize => BatchSize * Shards;

    /// <summary>Background threads decoding and augmenting (ijepa's <c>num_workers</c>); 0 works on the caller's thread.</summary>
    public int NumWorkers { get; init; } = 2;

    /// <summary>Batches prepared ahead of the one the consumer holds (the bounded queue's capacity).</summary>
    public int Prefetch { get; init; } = 2;

    /// <summary>Seeds the per-epoch shuffle (seed, epoch) and every sample's augmentation (seed, epoch, index).</summary>
    public ulong Seed { get; init; }

    /// <summary>Shuffle every epoch (training); false reads in dataset order (evaluation).</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Drop the last incomplete batch, as ijepa's loader does.</summary>
    public bool DropLast { get; init; } = true;

    /// <summary>Cap on iterations per epoch (null: the whole dataset).</summary>
    public int? Ipe { get; init; }

    /// <summary>Where to start, for resuming: the epoch and the step within it.</summary>
    public int StartEpoch { get; init; }
    public int StartStep { get; init; }

    /// <summary>Images already known to be unreadable (<see cref="BatchLoader.UnreadableIndices"/> of the run being resumed), so
    /// that <see cref="BatchLoader.SkippedCount"/> goes on as in one run.</summary>
    public IReadOnlyCollection<int>? Unreadable { get; init; }

    /// <summary>Stop before this epoch; null runs on forever.</summary>
    public int? Epochs { get; init; }

    public void Validate()
    {
        if (BatchSize <= 0) throw new ArgumentException($"batch_size must be positive, got {BatchSize}");
        if (NumWorkers < 0) throw new ArgumentException($"num_workers must be >= 0, got {NumWorkers}");
        if (Prefetch < 1) throw new ArgumentException($"prefetch must be >= 1, got {Prefetch}");
        if (Ipe is <= 0) throw new ArgumentException($"ipe must be positive, got {Ipe}");
        if (Shards < 1 || Shard < 0 || Shard >= Shards) throw new ArgumentException($"shard {Shard} of {Shards} does not exist");
        if (Shards > 1 && !DropLast) throw new ArgumentException("sharded batches need drop_last (every shard a full share)");
        if (StartEpoch < 0 || StartStep < 0) throw new ArgumentException($"start ({StartEpoch}, {StartStep}) must not be negative");
    }
}
