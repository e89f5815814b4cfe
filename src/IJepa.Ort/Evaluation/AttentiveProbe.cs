// The attentive probe protocol (V-JEPA's frozen evaluation): whiten the tokens (one transform for every token, fitted on
// the training tokens), sweep learning rate × weight decay on a validation split of the training images, as the linear
// probe does, retrain on all of them with the best pair, report test top-1. Whitening is a fixed invertible linear map of
// each token, which the key and value projections could absorb, so the model class is unchanged; it is there for the
// same reason as the linear probe's (Whitening.cs) — measured on q-base (step 1900), Fashion-MNIST 10k/5k held out, lr
// 1e-2, 10 epochs: 79.8 % raw tokens, 84.1 % whitened with ridge 1e-2 (83.3 % with 1e-5, 82.7 % with 1).
using System.Diagnostics;
using IJepa.Ort.Runtime;

namespace IJepa.Ort.Evaluation;

public sealed record AttentiveProbeOptions
{
    public IReadOnlyList<double> LearningRates { get; init; } = [1e-2, 3e-2];
    public IReadOnlyList<double> WeightDecays { get; init; } = [1e-4, 1e-1];
    /// <summary>The token whitening's ridge, as a fraction of the tokens' mean variance (as the linear probe's; not swept).</summary>
    public double Ridge { get; init; } = 1e-2;
    public int Epochs { get; init; } = 10;
    public int BatchSize { get; init; } = 256;
    /// <summary>Attention heads; fewer when they do not divide the token width (the largest divisor below).</summary>
    public int Heads { get; init; } = 4;
    public double ValidationFraction { get; init; } = 0.1;
    public int MaxValidation { get; init; } = 10_000;
    public ulong Seed { get; init; }
    public int Threads { get; init; }
    public ExecutionDevice Device { get; init; } = ExecutionDevice.Cpu;
}

public sealed record AttentiveProbeResult(
    double TestAccuracy, double TrainAccuracy, double Lr, double WeightDecay, int Heads, IReadOnlyList<ProbeTrial> Sweep, double Seconds);

public static class AttentiveProbe
{
    /// <summary>Rows of <paramref name="train"/> and <paramref name="test"/> are tokens [N, D] flattened (Dim = N·D).</summary>
    public static AttentiveProbeResult Run(FeatureSet train, FeatureSet test, int tokens, AttentiveProbeOptions? options = null)
    {
        var o = options ?? new AttentiveProbeOptions();
        var clock = Stopwatch.StartNew();
        if (tokens < 1 || train.Dim % tokens != 0 || test.Dim != train.Dim)
            throw new ArgumentException($"rows of {train.Dim} and {test.Dim} values are not {tokens} tokens each");
        int dim = train.Dim / tokens, heads = HeadsFor(dim, o.Heads);
        int classes = FeatureSet.ClassCount(train, test);
        using var sessionOptions = o.Device.CreateOptions(o.Threads);
        var whitening = Whitening.Fit(AsTokenRows(train, tokens), o.Ridge, sessionOptions);
        (train, test) = (Whiten(whitening, train, tokens, sessionOptions), Whiten(whitening, test, tokens, sessionOptions));
        var (fitRows, validationRows) = LinearProbe.Split(train.Count, o.ValidationFraction, o.MaxValidation, o.Seed);
        var head = AttentiveProbeRecipe.Head(tokens, dim, heads, classes, o.Seed);
        using var session = new ProbeHeadSession(head, Math.Min(o.BatchSize, train.Count - validationRows.Length), sessionOptions);
        var sweep = validationRows.Length > 0 && o.LearningRates.Count * o.WeightDecays.Count > 1
            ? session.Sweep(train.Subset(fitRows), train.Subset(validationRows), o.LearningRates, o.WeightDecays, o.Epochs, o.Seed)
            : [];
        var best = sweep.Count > 0 ? sweep.MaxBy(t => t.ValidationAccuracy)! : new ProbeTrial(o.LearningRates[0], o.WeightDecays[0], 0, double.NaN);
        var weights = session.Fit(train, best.Lr, best.WeightDecay, o.Epochs, o.Seed);
        return new AttentiveProbeResult(session.Accuracy(test, weights), session.Accuracy(train, weights), best.Lr, best.WeightDecay, heads, sweep,
            clock.Elapsed.TotalSeconds);
    }

    /// <summary>Tokens [Count, N·D] seen as Count·N rows of D (unlabelled), for the token whitening.</summary>
    private static FeatureSet AsTokenRows(FeatureSet f, int tokens) => new(f.Data, f.Count * tokens, f.Dim / tokens, new int[f.Count * tokens], 1);

    private static FeatureSet Whiten(Whitening w, FeatureSet f, int tokens, Microsoft.ML.OnnxRuntime.SessionOptions options) =>
        new(w.Apply(AsTokenRows(f, tokens), options).Data, f.Count, f.Dim, f.Labels, f.NumClasses);

    /// <summary>The largest head count not above <paramref name="wanted"/> that divides <paramref name="dim"/>.</summary>
    public static int HeadsFor(int dim, int wanted)
    {
        int h = Math.Clamp(wanted, 1, dim);
        while (dim % h != 0) h--;
        return h;
    }
}
