// What `ijepa-ort probe` asks for, and what it reports.
using IJepa.Ort.Runtime;

namespace IJepa.Ort.Evaluation;

public enum ProbeMethod { Linear, Knn }

/// <summary>The probe's targets: the data set's classes, or a property of the generated scenes.</summary>
public enum ProbeTask { Class, Count, Size }

public sealed record ProbeRequest
{
    /// <summary>A run folder (its latest checkpoint) or a checkpoint file; exclusive with <see cref="Model"/>.</summary>
    public string? Checkpoint { get; init; }
    /// <summary>An exported encoder (.onnx); exclusive with <see cref="Checkpoint"/>.</summary>
    public string? Model { get; init; }
    /// <summary>The preset of an exported model, for the random-init baseline and the data set (a checkpoint carries its own).</summary>
    public string? Config { get; init; }
    /// <summary>Which encoder of a checkpoint: target (EMA, the paper's choice) or context.</summary>
    public string Encoder { get; init; } = "target";
    public IReadOnlyList<ProbeMethod> Methods { get; init; } = [ProbeMethod.Linear, ProbeMethod.Knn];
    public IReadOnlyList<ProbeTask> Tasks { get; init; } = [ProbeTask.Class];
    /// <summary>Data folder and kind (as <c>embed</c>); default: the checkpoint's or config's data set.</summary>
    public string? Data { get; init; }
    public string? Kind { get; init; }
    /// <summary>Also probe a randomly initialised encoder of the same preset and the raw pixels.</summary>
    public bool Baselines { get; init; }
    /// <summary>0: the average-pooled output (the paper's protocol); n: the last n blocks, each pooled, concatenated.</summary>
    public int LastBlocks { get; init; }
    /// <summary>How tokens become what the probes see; <see cref="ProbeReadout.Mean"/> (the paper's protocol) is always probed too.</summary>
    public IReadOnlyList<ProbeReadout> Readouts { get; init; } = [ProbeReadout.Mean];
    /// <summary>
    /// Score on a validation split carved from the training images (disjoint from the probe's training subset) instead of
    /// the test split: what settings are chosen on, so the test split is touched once per reported figure.
    /// </summary>
    public bool Validation { get; init; }
    /// <summary>Subset sizes of the train and test splits (0: all images; with <see cref="Validation"/>, test 0 holds out 10,000).</summary>
    public int TrainSize { get; init; }
    public int TestSize { get; init; }
    /// <summary>Also probe every numbered checkpoint of the run (accuracy over training) and draw it to <see cref="Plot"/>.</summary>
    public bool Curve { get; init; }
    public string? Plot { get; init; }
    /// <summary>Seeds the subsets, the validation split and the probe's data order.</summary>
    public ulong Seed { get; init; }
    public int Threads { get; init; }
    public ExecutionDevice Device { get; init; } = ExecutionDevice.Cpu;
    public LinearProbeOptions Linear { get; init; } = new();
    public KnnOptions Knn { get; init; } = new() { Center = true };
    public AttentiveProbeOptions Attentive { get; init; } = new();
}

/// <summary>
/// One figure: an encoder's top-1 on a task by a method under a readout (with the probe's chosen hyper-parameters). The
/// attentive readout's figure is its trained head's, under <see cref="ProbeMethod.Linear"/>; the pixels' mean readout is "flat".
/// </summary>
public sealed record ProbeScore(string Encoder, string Readout, ProbeTask Task, ProbeMethod Method, double Top1, double? Lr, double? WeightDecay, double? Ridge,
    double Seconds);

/// <summary>A point of the accuracy-over-training curve (step 0 is the random initialisation the run started from).</summary>
public sealed record CurvePoint(long Step, string Readout, ProbeTask Task, ProbeMethod Method, double Top1);

/// <summary>An encoder's feature width and collapse figures (on the test features of the mean readout).</summary>
public sealed record FeatureStats(int Dim, CollapseStats Collapse);

public sealed record ProbeReport(
    string Subject, long Step, string Dataset, int TrainCount, int TestCount,
    IReadOnlyDictionary<string, FeatureStats> Features, IReadOnlyList<ProbeScore> Scores, IReadOnlyList<CurvePoint> Curve,
    string? Plot, double Seconds);
