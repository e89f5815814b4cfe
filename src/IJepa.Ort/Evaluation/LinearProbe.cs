// The linear probe protocol: standardise the features, sweep learning rate × weight decay on a validation split of the
// training set (as the paper sweeps them), retrain on the whole training set with the best pair, report test top-1.
using System.Diagnostics;
using IJepa.Ort.Data;
using IJepa.Ort.Runtime;

namespace IJepa.Ort.Evaluation;

public sealed record LinearProbeOptions
{
    public IReadOnlyList<double> LearningRates { get; init; } = [1e-3, 3e-3, 1e-2];
    public IReadOnlyList<double> WeightDecays { get; init; } = [1e-4, 1e-2, 1e-1];
    public int Epochs { get; init; } = 20;
    public int BatchSize { get; init; } = 256;
    /// <summary>Share of the training rows held out to choose the hyper-parameters (at most <see cref="MaxValidation"/>).</summary>
    public double ValidationFraction { get; init; } = 0.1;
    public int MaxValidation { get; init; } = 10_000;
    public ulong Seed { get; init; }
    public int Threads { get; init; }
    public ExecutionDevice Device { get; init; } = ExecutionDevice.Cpu;
}

/// <summary>One point of the sweep: its hyper-parameters and the validation top-1 it reached.</summary>
public sealed record ProbeTrial(double Lr, double WeightDecay, double ValidationAccuracy);

public sealed record LinearProbeResult(double TestAccuracy, double TrainAccuracy, double Lr, double WeightDecay, IReadOnlyList<ProbeTrial> Sweep, double Seconds);

public static class LinearProbe
{
    private const ulong SplitStream = 0x56414C4944UL;

    public static LinearProbeResult Run(FeatureSet train, FeatureSet test, LinearProbeOptions? options = null)
    {
        var o = options ?? new LinearProbeOptions();
        var clock = Stopwatch.StartNew();
        var (mean, std) = train.Moments();
        var x = train.Standardized(mean, std);
        var xTest = test.Standardized(mean, std);
        var (fit, validation) = Split(x, o);
        int classes = Math.Max(train.NumClasses, Math.Max(train.Labels.Take(train.Count).Max(), test.Labels.Take(test.Count).Max()) + 1);

        using var sessionOptions = o.Device.CreateOptions(o.Threads);
        using var session = new LinearProbeSession(x.Dim, classes, Math.Min(o.BatchSize, fit.Count), sessionOptions);
        var sweep = new List<ProbeTrial>();
        if (validation.Count > 0 && o.LearningRates.Count * o.WeightDecays.Count > 1)
            foreach (double lr in o.LearningRates)
                foreach (double wd in o.WeightDecays)
                    sweep.Add(new ProbeTrial(lr, wd, session.Accuracy(validation, session.Fit(fit, lr, wd, o.Epochs, o.Seed))));
        var best = sweep.Count > 0 ? sweep.MaxBy(t => t.ValidationAccuracy)! : new ProbeTrial(o.LearningRates[0], o.WeightDecays[0], double.NaN);
        var weights = session.Fit(x, best.Lr, best.WeightDecay, o.Epochs, o.Seed);
        return new LinearProbeResult(session.Accuracy(xTest, weights), session.Accuracy(x, weights), best.Lr, best.WeightDecay, sweep, clock.Elapsed.TotalSeconds);
    }

    /// <summary>A seeded shuffle of the rows: the validation part first, the rest to fit on.</summary>
    private static (FeatureSet Fit, FeatureSet Validation) Split(FeatureSet x, LinearProbeOptions o)
    {
        int n = Math.Min(o.MaxValidation, (int)(x.Count * o.ValidationFraction));
        if (n < 1 || x.Count - n < 1) return (x, x.Subset([]));
        var order = Enumerable.Range(0, x.Count).ToArray();
        var rng = DataRandom.For(o.Seed ^ SplitStream, x.Count);
        rng.Shuffle(order.AsSpan());
        return (x.Subset(order[n..]), x.Subset(order[..n]));
    }
}
