// What `ijepa-ort train` asks of the trainer (command-line flags over the config).
using IJepa.Ort.Distributed;
using IJepa.Ort.Runtime;

namespace IJepa.Ort.Training;

public sealed record TrainOptions
{
    public const string DefaultConfig = "models/fmnist-vit-micro.yaml";

    public string ConfigPath { get; init; } = DefaultConfig;
    /// <summary>The run folder; default runs/&lt;preset&gt;.</summary>
    public string? RunDir { get; init; }
    /// <summary>Stop after this global step (the schedules still follow the config's epochs).</summary>
    public long? MaxSteps { get; init; }
    public bool Resume { get; init; }
    public ExecutionDevice Device { get; init; } = ExecutionDevice.Cpu;
    /// <summary>The ranks of the job (mpirun) or a world of one; the caller owns it.</summary>
    public ICommunicator Communicator { get; init; } = new SingleProcess();
    /// <summary>Keep a second, ping-ponged copy of the state updated by graphs only (as on a GPU), even on the CPU.</summary>
    public bool ResidentCopy { get; init; }
    /// <summary>Config overrides by key path, e.g. ("ijepa_ort.seed", "3").</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Overrides { get; init; } = [];
    /// <summary>Where graphs of the presets are checked in (graphs/&lt;preset&gt;).</summary>
    public string GraphsRoot { get; init; } = "graphs";
}

/// <summary>Progress the trainer reports after every step (the CLI draws it).</summary>
public readonly record struct TrainProgress(StepRecord Record, long StepsDone, long StopAt, double ImagesPerSecond, TimeSpan Eta);

/// <summary>What a finished (or stopped) run reports; <see cref="Stopped"/>: a stop ended it before its last step.</summary>
public sealed record TrainSummary(
    string RunDir, string Checkpoint, string Log, string Plot, long Steps, int Epoch, double FinalLoss, double MeanLossLastEpoch,
    double SecondsPerStep, double ImagesPerSecond, int SkippedImages, int Ranks, bool RanksConsistent, string Fingerprint, bool Stopped = false);
