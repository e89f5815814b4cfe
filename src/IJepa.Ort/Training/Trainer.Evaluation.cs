// Trainer: the online evaluation every eval_freq epochs (kNN top-1 of the target encoder on a held-out subset and the
// collapse monitor), written to metrics.jsonl and eval.png, with a warning when the features fall toward collapse.
using IJepa.Ort.Evaluation;
using IJepa.Ort.Export;

namespace IJepa.Ort.Training;

public sealed partial class Trainer
{
    private OnlineEvaluation? _evaluation;

    /// <summary>Where the online evaluation's lines and collapse warnings go (default standard error).</summary>
    public TextWriter EvaluationLog { get; set; } = Console.Error;

    /// <summary>
    /// After epoch <paramref name="epoch"/> (finished epochs; 0 = before training): when <c>ijepa_ort.eval_freq</c> divides it,
    /// evaluates the current target encoder and logs the result. Training state is only read.
    /// </summary>
    private void EvaluateOnline(int epoch)
    {
        int freq = _config.IJepaOrt.EvalFreq;
        if (freq <= 0 || epoch % freq != 0) return;
        _evaluation ??= OnlineEvaluation.For(_config, EvaluationLog);
        var result = _evaluation.Evaluate(EncoderExport.FromStore(_step.Store, _config, _preset, _k));
        _log!.Metric(result.ToMetric(epoch, _k));
        _log.Flush();
        ProbePlot.SaveOnline(_runDir, $"{_preset}: online kNN top-1 of the target encoder");
        EvaluationLog.WriteLine($"eval at step {_k} (epoch {epoch}): kNN top-1 {result.Top1:P2} (k {result.K}, {result.Bank} bank / {result.Queries} queries), " +
            $"feature std·√D {result.Collapse.NormalizedStd:F3}, effective rank {result.Collapse.EffectiveRank:F1}/{result.Collapse.Dim} [{result.Seconds:F0} s]");
        if (result.Collapse.Warning is { } warning) EvaluationLog.WriteLine($"warning: step {_k}: {warning}");
    }
}
