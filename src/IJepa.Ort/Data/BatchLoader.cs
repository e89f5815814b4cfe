// The background batch loader: ijepa's DataLoader(DistributedSampler(shuffle), drop_last=True) on threads.
// Workers claim images one at a time, in order, and write them straight into one of Prefetch + 1
// pre-allocated batch buffers (a ring: batch s lives in slot s mod K). A batch is handed out once all
// its images are done, so batches come in order whatever the thread timing, and every image's content
// depends only on (seed, epoch, dataset index): the result is the same for any number of workers.
using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;
using IJepa.Ort.Errors;

namespace IJepa.Ort.Data;

public sealed class BatchLoader : IDisposable
{
    // Keys that keep the shuffle and the augmentation streams apart for the same seed.
    private const ulong ShuffleStream = 0x53485546464C45UL, AugmentStream = 0x4155474D454E54UL;

    private readonly IImageDataset _dataset;
    private readonly AugmentOptions _augment;
    private readonly BatchLoaderOptions _options;
    private readonly Slot[] _slots;
    private readonly Thread[] _workers;
    private readonly Worker? _inline;
    private readonly long _totalBatches;
    private readonly object _gate = new();
    private readonly Action _wake;

    // Guarded by _gate.
    private long _claimBatch;       // the batch whose next image is to be claimed
    private int _claimImage;
    private long _released;         // batches the consumer has finished with
    private bool _holding;          // the consumer holds batch _released
    private bool _stopping;
    private ExceptionDispatchInfo? _fault;
    private int _permutationEpoch = -1;
    private int[]? _permutation;

    // Guarded by _gate: each bad file counted once, however often it is met, and only once a batch that met it is handed
    // out (workers run ahead), so the count at every step is the same whatever the thread timing.
    private readonly HashSet<int> _unreadable = [];

    public BatchLoader(IImageDataset dataset, AugmentOptions augment, BatchLoaderOptions options)
    {
        options.Validate();
        augment.Validate();
        _dataset = dataset;
        _augment = augment;
        _options = options;
        _wake = Wake;
        _unreadable.UnionWith(options.Unreadable ?? []);

        int global = options.GlobalBatchSize;
        int batches = options.DropLast ? dataset.Count / global : (dataset.Count + global - 1) / global;
        StepsPerEpoch = Math.Min(batches, options.Ipe ?? int.MaxValue);
        if (StepsPerEpoch == 0)
            throw DataException.At(dataset.Source, $"{dataset.Count} images make no batch of {global} (drop_last)");
        if (options.StartStep >= StepsPerEpoch)
            throw new ArgumentException($"start step {options.StartStep} is past the epoch's {StepsPerEpoch} steps");
        _totalBatches = options.Epochs is int epochs
            ? Math.Max(0, (long)(epochs - options.StartEpoch) * StepsPerEpoch - options.StartStep)
            : long.MaxValue;

        Channels = augment.OutChannels ?? dataset.Channels;
        Height = Width = augment.CropSize;
        _slots = new Slot[options.Prefetch + 1];
        for (int s = 0; s < _slots.Length; s++) _slots[s] = new Slot(new ImageBatch(options.BatchSize, Channels, Height, Width));

        _workers = new Thread[options.NumWorkers];
        if (_workers.Length == 0) _inline = new Worker(augment);
        for (int w = 0; w < _workers.Length; w++)
        {
            var worker = new Worker(augment);
            _workers[w] = new Thread(() => Run(worker)) { IsBackground = true, Name = $"ijepa-data-{w}" };
            _workers[w].Start();
        }
    }

    public IImageDataset Dataset => _dataset;

    /// <summary>Iterations per epoch: full batches (or all, without drop_last), capped by ipe.</summary>
    public int StepsPerEpoch { get; }

    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }

    /// <summary>Distinct unreadable images in the batches handed out so far (and <see cref="BatchLoaderOptions.Unreadable"/>).</summary>
    public int SkippedCount
    {
        get { lock (_gate) return _unreadable.Count; }
    }

    /// <summary>The dataset indices behind <see cref="SkippedCount"/>, sorted: what a checkpoint keeps for a resume.</summary>
    public IReadOnlyList<int> UnreadableIndices
    {
        get { lock (_gate) return _unreadable.Order().ToArray(); }
    }

    /// <summary>
    /// Hands out the next batch, waiting for the workers if needed; false after the last epoch. The
    /// previous batch is given back to the queue by this call.
    /// </summary>
    public bool TryNext([MaybeNullWhen(false)] out ImageBatch batch, CancellationToken cancellation = default)
    {
        cancellation.ThrowIfCancellationRequested();
        using var wake = cancellation.CanBeCanceled ? cancellation.Register(_wake) : default;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopping, this);
            if (_holding)
            {
                _released++;
                _holding = false;
                Monitor.PulseAll(_gate);
            }
            if (_released >= _totalBatches)
            {
                batch = null;
                return false;
            }
            var slot = _slots[_released % _slots.Length];
            while (!(slot.Batch == _released && slot.Remaining == 0))
            {
                _fault?.Throw();
                ObjectDisposedException.ThrowIf(_stopping, this);
                cancellation.ThrowIfCancellationRequested();
                if (_inline is not null && TryClaim(out var claimed, out int image)) WorkInline(claimed, image);
                else Monitor.Wait(_gate);
            }
            _holding = true;
            _unreadable.UnionWith(slot.Unreadable);
            batch = slot.Images;
            return true;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_stopping) return;
            _stopping = true;
            Monitor.PulseAll(_gate);
        }
        foreach (var worker in _workers) worker.Join();
    }

    private void Wake()
    {
        lock (_gate) Monitor.PulseAll(_gate);
    }

    private void Run(Worker worker)
    {
        while (true)
        {
            Slot slot = null!;
            int image = 0;
            lock (_gate)
            {
                while (!_stopping && !TryClaim(out slot, out image)) Monitor.Wait(_gate);
                if (_stopping) return;
            }
            Process(worker, slot, image);
        }
    }

    /// <summary>With no workers: processes a claimed image on the consumer's thread (caller holds _gate).</summary>
    private void WorkInline(Slot slot, int image)
    {
        Monitor.Exit(_gate);
        try { Process(_inline!, slot, image); }
        finally { Monitor.Enter(_gate); }
    }

    /// <summary>Claims the next image if its batch's slot is free (caller holds _gate).</summary>
    private bool TryClaim(out Slot slot, out int image)
    {
        slot = null!;
        image = 0;
        if (_fault is not null || _claimBatch >= _totalBatches || _claimBatch >= _released + _slots.Length) return false;
        slot = _slots[_claimBatch % _slots.Length];
        image = _claimImage;
        if (image == 0) Begin(slot, _claimBatch);
        if (++_claimImage == slot.Images.Count)
        {
            _claimBatch++;
            _claimImage = 0;
        }
        return true;
    }

    /// <summary>Assigns batch number <paramref name="batch"/> to a free slot (caller holds _gate).</summary>
    private void Begin(Slot slot, long batch)
    {
        long position = _options.StartStep + batch;
        int epoch = (int)(_options.StartEpoch + position / StepsPerEpoch);
        int step = (int)(position % StepsPerEpoch);
        var images = slot.Images;
        images.Epoch = epoch;
        images.Step = step;
        images.Count = Math.Min(_options.BatchSize, _dataset.Count - FirstPosition(step));
        images.Skipped = 0;
        slot.Batch = batch;
        slot.Remaining = images.Count;
        slot.Unreadable.Clear();
        slot.Order = OrderFor(epoch);
    }

    /// <summary>Where this loader's share of step <paramref name="step"/> starts in the epoch's order.</summary>
    private int FirstPosition(int step) => step * _options.GlobalBatchSize + _options.Shard * _options.BatchSize;

    /// <summary>The epoch's sample order (null: dataset order); epochs only increase, so one is cached.</summary>
    private int[]? OrderFor(int epoch)
    {
        if (!_options.Shuffle) return null;
        if (_permutationEpoch != epoch)
        {
            var order = new int[_dataset.Count];
            for (int i = 0; i < order.Length; i++) order[i] = i;
            var rng = DataRandom.For(_options.Seed ^ ShuffleStream, epoch);
            rng.Shuffle(order.AsSpan());
            _permutation = order;
            _permutationEpoch = epoch;
        }
        return _permutation;
    }

    /// <summary>Loads, augments and stores one image of a claimed batch (no lock held).</summary>
    private void Process(Worker worker, Slot slot, int image)
    {
        var batch = slot.Images;
        try
        {
            int position = FirstPosition(batch.Step) + image;
            int index = slot.Order?[position] ?? position;
            var rng = DataRandom.For(_options.Seed ^ AugmentStream, batch.Epoch, index);
            int skipped = 0;
            while (!_dataset.TryLoad(index, worker.Decoded))
            {
                lock (_gate) slot.Unreadable.Add(index);
                if (++skipped >= _dataset.Count) throw DataException.At(_dataset.Source, "no image could be read");
                index = (index + 1) % _dataset.Count;
            }
            worker.Augmenter.Apply(worker.Decoded, ref rng, batch.Images.AsSpan(image * batch.ImageSize, batch.ImageSize));
            batch.Labels[image] = _dataset.Label(index);
            batch.Indices[image] = index;
            if (skipped > 0)
                lock (_gate) batch.Skipped++;
        }
        catch (Exception e)
        {
            lock (_gate)
            {
                _fault ??= ExceptionDispatchInfo.Capture(e);
                Monitor.PulseAll(_gate);
            }
            return;
        }
        lock (_gate)
        {
            if (--slot.Remaining == 0) Monitor.PulseAll(_gate);
        }
    }

    /// <summary>One batch buffer of the ring and its progress (guarded by _gate).</summary>
    private sealed class Slot(ImageBatch images)
    {
        public ImageBatch Images { get; } = images;
        public long Batch = -1;
        public int Remaining;
        public int[]? Order;
        public readonly List<int> Unreadable = [];   // bad images this batch met
    }

    /// <summary>A worker's own scratch: decode buffer and augmenter.</summary>
    private sealed class Worker(AugmentOptions augment)
    {
        public ImageBuffer Decoded { get; } = new();
        public ImageAugmenter Augmenter { get; } = new(augment);
    }
}
