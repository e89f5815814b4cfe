// `ijepa_ort:` — this project's settings, kept apart from upstream's schema so official configs load unchanged.
namespace IJepa.Ort.Config;

/// <summary>
/// <c>ijepa_ort:</c> — settings upstream hard-codes or does not have. Every key is optional.
/// </summary>
public sealed record IJepaOrtConfig
{
    /// <summary>ImageNet's per-channel mean, upstream's normalisation (<c>src/transforms.py</c>).</summary>
    public static readonly IReadOnlyList<double> ImageNetMean = [0.485, 0.456, 0.406];

    /// <summary>ImageNet's per-channel standard deviation.</summary>
    public static readonly IReadOnlyList<double> ImageNetStd = [0.229, 0.224, 0.225];

    /// <summary><c>model:</c> size overrides. Default: none.</summary>
    public ModelOverrides Model { get; init; } = new();

    /// <summary><c>dataset</c>: <c>image_folder</c> | <c>fashion-mnist</c> | <c>idx</c> | <c>cifar</c> | <c>scenes</c>. Default <c>image_folder</c> (upstream's only loader).</summary>
    public DatasetKind Dataset { get; init; } = DatasetKind.ImageFolder;

    /// <summary><c>mean</c>: per-channel normalisation mean, one value per <c>in_chans</c>. Default ImageNet's for 3 channels; required otherwise.</summary>
    public IReadOnlyList<double> Mean { get; init; } = ImageNetMean;

    /// <summary><c>std</c>: per-channel normalisation standard deviation (&gt; 0). Default ImageNet's for 3 channels; required otherwise.</summary>
    public IReadOnlyList<double> Std { get; init; } = ImageNetStd;

    /// <summary>
    /// <c>seed</c>: the run's seed: parameter init, data order and augmentation, and the masks
    /// (<c>MultiBlockMaskCollator</c> draws step k's masks from (seed, k)). Default 0 (upstream's <c>_GLOBAL_SEED</c>).
    /// </summary>
    public ulong Seed { get; init; }

    /// <summary><c>checkpoint_freq</c>: keep an <c>-epN</c> checkpoint every this many epochs (the latest is written every epoch). Default 50 (upstream's hard-coded value).</summary>
    public int CheckpointFreq { get; init; } = 50;

    /// <summary>
    /// <c>checkpoint_every:</c> also write the latest checkpoint within an epoch, every <c>steps</c> steps and/or every
    /// <c>minutes</c> minutes of training (0 turns either off), so that a kill loses no more than that. Default: every 10 minutes.
    /// </summary>
    public CheckpointInterval CheckpointEvery { get; init; } = new();

    /// <summary><c>log_freq</c>: print a progress line every this many iterations (log.csv gets every one). Default 10 (upstream's hard-coded value).</summary>
    public int LogFreq { get; init; } = 10;

    /// <summary>
    /// <c>upstream_mask_bounds</c>: draw block corners as upstream does, <c>randint(0, H − h)</c> with an exclusive bound,
    /// so the last patch row and column are never in a block (facebookresearch/ijepa issue #60). Default false: the
    /// corner is drawn from [0, H − h] inclusive.
    /// </summary>
    public bool UpstreamMaskBounds { get; init; }

    /// <summary><c>eval_freq</c>: run the online kNN evaluation every this many epochs; 0 turns it off. Default 0.</summary>
    public int EvalFreq { get; init; }

    /// <summary><c>knn_k</c>: neighbours of the online kNN evaluation. Default 20.</summary>
    public int KnnK { get; init; } = 20;

    /// <summary><c>threads</c>: ONNX Runtime intra-op threads; 0 = ORT's default. Default 0.</summary>
    public int Threads { get; init; }

    /// <summary>
    /// <c>ipe</c>: a cap on iterations per epoch, for short runs. Null: ⌊dataset size / batch_size⌋ as upstream
    /// (drop_last, one process). See <see cref="IJepaConfig.IterationsPerEpoch"/>. Default null.
    /// </summary>
    public int? Ipe { get; init; }

    /// <summary>
    /// <c>target_blocks</c>: K, 1..depth. 1 = upstream: the targets are F.layer_norm of the target encoder's output
    /// (after its final norm). K &gt; 1 = data2vec's targets (Baevski et al. 2022): the mean over the target encoder's
    /// last K blocks of F.layer_norm of each block's output, before the final norm. Opt-in; shapes the train graph.
    /// Default 1.
    /// </summary>
    public int TargetBlocks { get; init; } = 1;

    /// <summary><c>vc_loss:</c> the variance–covariance regulariser (C-JEPA). Default: off.</summary>
    public VcLossConfig VcLoss { get; init; } = new();
}

/// <summary><c>ijepa_ort.checkpoint_every:</c> the interval between mid-epoch checkpoints; whichever comes first.</summary>
public sealed record CheckpointInterval
{
    /// <summary><c>steps</c>: every this many global steps; 0 = off. Default 0.</summary>
    public int Steps { get; init; }

    /// <summary><c>minutes</c>: when this many minutes have passed since the last checkpoint (or the start); 0 = off. Default 10.</summary>
    public double Minutes { get; init; } = 10;

    /// <summary>Whether step <paramref name="step"/> (steps done) is due, <paramref name="sinceLast"/> after the last save.</summary>
    public bool Due(long step, TimeSpan sinceLast) =>
        (Steps > 0 && step % Steps == 0) || (Minutes > 0 && sinceLast.TotalMinutes >= Minutes);
}
