// LR, weight-decay and EMA-momentum schedules: a port of facebookresearch/ijepa src/utils/schedulers.py
// (WarmupCosineSchedule, CosineWDSchedule) and the momentum generator of src/train.py, as pure functions of the step.
using IJepa.Ort.Config;

namespace IJepa.Ort.Training;

/// <summary>The three scheduled values a train step uses.</summary>
public readonly record struct ScheduleValues(double Lr, double Wd, double Momentum);

/// <summary>
/// Upstream's schedules as functions of the global train step k = epoch·ipe + itr (0-based), so a resumed run needs
/// nothing but k. Upstream's counting is kept exactly:
/// <list type="bullet">
/// <item>the LR and WD schedulers' <c>step()</c> runs at the start of each train step, so step k uses scheduler
/// step k + 1 (the value at scheduler step 0 is never used);</item>
/// <item><c>T_max = int(ipe_scale·epochs·ipe)</c>, <c>warmup_steps = int(warmup·ipe)</c>;</item>
/// <item>the EMA momentum of step k (applied after its optimizer update) is
/// <c>ema0 + k·(ema1 − ema0)/(ipe·epochs·ipe_scale)</c>.</item>
/// </list>
/// Arithmetic follows upstream's Python expression by expression, so values agree to the last bit.
/// </summary>
public sealed class Schedules
{
    public Schedules(OptimizationConfig optimization, long ipe)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ipe, 1);
        Optimization = optimization;
        Ipe = ipe;
        TMax = (long)(optimization.IpeScale * optimization.Epochs * ipe);
        WarmupSteps = (long)(optimization.Warmup * ipe);
        if (TMax < 1)
            throw new ArgumentException($"ipe_scale·epochs·ipe = {optimization.IpeScale}·{optimization.Epochs}·{ipe} gives no scheduler steps", nameof(optimization));
    }

    /// <summary>The schedules of <paramref name="config"/> for <paramref name="ipe"/> iterations per epoch (<see cref="IJepaConfig.IterationsPerEpoch"/>).</summary>
    public static Schedules From(IJepaConfig config, long ipe) => new(config.Optimization, ipe);

    public OptimizationConfig Optimization { get; }

    /// <summary>Iterations per epoch the schedules are laid out for.</summary>
    public long Ipe { get; }

    /// <summary>Upstream's <c>T_max</c> = <c>int(ipe_scale·epochs·ipe)</c>: the WD cosine's length, and the LR's end including warmup.</summary>
    public long TMax { get; }

    /// <summary><c>int(warmup·ipe)</c>.</summary>
    public long WarmupSteps { get; }

    /// <summary>Train steps in the run: <c>epochs·ipe</c>.</summary>
    public long TotalSteps => Optimization.Epochs * Ipe;

    /// <summary>The LR, WD and momentum of global train step <paramref name="step"/> (0-based).</summary>
    public ScheduleValues At(long step) => new(LearningRate(step), WeightDecay(step), Momentum(step));

    /// <summary>
    /// <c>WarmupCosineSchedule</c> after <c>step + 1</c> calls: linear from <c>start_lr</c> towards <c>lr</c> while below
    /// <c>warmup_steps</c>, then a cosine from <c>lr</c> to <c>final_lr</c> over <c>T_max − warmup_steps</c> steps,
    /// floored at <c>final_lr</c>.
    /// </summary>
    public double LearningRate(long step)
    {
        var o = Optimization;
        long s = SchedulerStep(step);
        if (s < WarmupSteps)
        {
            double progress = (double)s / Math.Max(1, WarmupSteps);
            return o.StartLr + progress * (o.Lr - o.StartLr);
        }
        double cosineProgress = (double)(s - WarmupSteps) / Math.Max(1, TMax - WarmupSteps);
        return Math.Max(o.FinalLr, o.FinalLr + (o.Lr - o.FinalLr) * 0.5 * (1.0 + Math.Cos(Math.PI * cosineProgress)));
    }

    /// <summary>
    /// <c>CosineWDSchedule</c> after <c>step + 1</c> calls: a cosine from <c>weight_decay</c> to
    /// <c>final_weight_decay</c> over <c>T_max</c> steps, clamped at <c>final_weight_decay</c>.
    /// </summary>
    public double WeightDecay(long step)
    {
        var o = Optimization;
        double progress = (double)SchedulerStep(step) / TMax;
        double wd = o.FinalWeightDecay + (o.WeightDecay - o.FinalWeightDecay) * 0.5 * (1.0 + Math.Cos(Math.PI * progress));
        return o.FinalWeightDecay <= o.WeightDecay ? Math.Max(o.FinalWeightDecay, wd) : Math.Min(o.FinalWeightDecay, wd);
    }

    /// <summary>
    /// The EMA momentum applied after the update of step <paramref name="step"/>: upstream's generator value number
    /// <c>step</c>. Its generator stops after <c>int(ipe·epochs·ipe_scale) + 1</c> values (a longer run would crash);
    /// here later steps keep the last value.
    /// </summary>
    public double Momentum(long step)
    {
        var o = Optimization;
        double span = Ipe * o.Epochs * o.IpeScale;
        long i = Math.Min(Math.Max(step, 0), (long)span);
        return o.Ema.Start + i * (o.Ema.End - o.Ema.Start) / span;
    }

    private static long SchedulerStep(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        return step + 1;
    }
}
