// Schedules: upstream's LR/WD/momentum values at chosen steps, in closed form, and a replay of upstream's stateful counting.
using IJepa.Ort.Config;
using IJepa.Ort.Training;

namespace IJepa.Ort.Tests.Training;

[TestFixture]
public class SchedulesTests
{
    // ipe 100, 10 epochs, 2 warmup epochs: warmup_steps 200, T_max 1000.
    private static readonly OptimizationConfig Opt = new() { Epochs = 10, Warmup = 2 };
    private const double Start = 0.0002, Peak = 0.001, Final = 1.0e-06, Wd0 = 0.04, Wd1 = 0.4;

    private static Schedules Make(OptimizationConfig? opt = null, long ipe = 100) => new(opt ?? Opt, ipe);

    [Test]
    public void Constructor_OfficialCounting_TMaxAndWarmupSteps()
    {
        var s = Make(Opt with { IpeScale = 1.25, Warmup = 2.5 }, 99);
        Assert.That((s.TMax, s.WarmupSteps, s.TotalSteps), Is.EqualTo((1237L, 247L, 990L))); // int(1.25·10·99), int(2.5·99)
    }

    [Test]
    public void LearningRate_FirstStep_IsSchedulerStepOne()
    {
        Assert.That(Make().LearningRate(0), Is.EqualTo(Start + 1.0 / 200 * (Peak - Start)));
    }

    [Test]
    public void LearningRate_LastWarmupStep_IsJustBelowPeak()
    {
        Assert.That(Make().LearningRate(198), Is.EqualTo(Start + 199.0 / 200 * (Peak - Start)));
    }

    [Test]
    public void LearningRate_EndOfWarmup_IsPeak()
    {
        Assert.That(Make().LearningRate(199), Is.EqualTo(Peak)); // scheduler step 200: cosine progress 0
    }

    [Test]
    public void LearningRate_MiddleOfCosine_IsHalfway()
    {
        Assert.That(Make().LearningRate(599), Is.EqualTo((Peak + Final) / 2).Within(1e-18)); // progress 400/800
    }

    [Test]
    public void LearningRate_LastStep_IsFinalLr()
    {
        Assert.That(Make().LearningRate(999), Is.EqualTo(Final));
    }

    [Test]
    public void LearningRate_NoWarmup_StartsOnTheCosine()
    {
        var s = Make(Opt with { Warmup = 0 });
        Assert.That(s.LearningRate(0), Is.EqualTo(Final + (Peak - Final) * 0.5 * (1 + Math.Cos(Math.PI * 1 / 1000))));
    }

    [Test]
    public void LearningRate_EveryStep_NeverBelowFinalLr()
    {
        var s = Make(Opt with { IpeScale = 0.5 }); // T_max 500: the cosine ends halfway and, as upstream, turns back up
        var lrs = Enumerable.Range(0, 1000).Select(k => s.LearningRate(k)).ToArray();
        Assert.That(lrs, Has.All.GreaterThanOrEqualTo(Final));
        Assert.That(lrs[499], Is.EqualTo(Final));
        Assert.That(lrs[999], Is.GreaterThan(lrs[499]));
    }

    [Test]
    public void LearningRate_StretchedByIpeScale_EndsAboveFinal()
    {
        var s = Make(Opt with { IpeScale = 1.25 });
        double progress = (1000.0 - 200) / (1250 - 200);
        Assert.That(s.LearningRate(999), Is.EqualTo(Final + (Peak - Final) * 0.5 * (1 + Math.Cos(Math.PI * progress))));
    }

    [Test]
    public void WeightDecay_FirstStep_IsSchedulerStepOne()
    {
        Assert.That(Make().WeightDecay(0), Is.EqualTo(Wd1 + (Wd0 - Wd1) * 0.5 * (1 + Math.Cos(Math.PI * (1.0 / 1000)))));
    }

    [Test]
    public void WeightDecay_Middle_IsHalfway()
    {
        Assert.That(Make().WeightDecay(499), Is.EqualTo((Wd0 + Wd1) / 2).Within(1e-15));
    }

    [Test]
    public void WeightDecay_LastStep_IsFinal()
    {
        Assert.That(Make().WeightDecay(999), Is.EqualTo(Wd1));
    }

    [Test]
    public void WeightDecay_Decreasing_ClampedAtFinal()
    {
        var s = Make(Opt with { WeightDecay = 0.4, FinalWeightDecay = 0.04, IpeScale = 0.5 });
        Assert.That(Enumerable.Range(0, 1000).Select(k => s.WeightDecay(k)), Has.All.GreaterThanOrEqualTo(0.04));
    }

    [Test]
    public void WeightDecay_Increasing_NeverAboveFinal()
    {
        var s = Make(Opt with { IpeScale = 0.5 });
        Assert.That(Enumerable.Range(0, 1000).Select(k => s.WeightDecay(k)), Has.All.LessThanOrEqualTo(Wd1));
    }

    [Test]
    public void Momentum_FirstStep_IsEmaStart()
    {
        Assert.That(Make().Momentum(0), Is.EqualTo(0.996));
    }

    [Test]
    public void Momentum_ChosenSteps_AreLinear()
    {
        var s = Make();
        Assert.That(s.Momentum(500), Is.EqualTo(0.996 + 500 * (1.0 - 0.996) / 1000.0));
        Assert.That(s.Momentum(999), Is.EqualTo(0.996 + 999 * (1.0 - 0.996) / 1000.0));
    }

    [Test]
    public void Momentum_PastTheGenerator_StaysAtItsLastValue()
    {
        var s = Make();
        Assert.That((s.Momentum(1000), s.Momentum(5000)), Is.EqualTo((1.0, 1.0)));
    }

    [Test]
    public void At_AnyStep_EqualsReplayOfUpstreamsStatefulSchedulers()
    {
        var opt = Opt with { IpeScale = 1.25, Warmup = 1.5, Ema = (0.99, 0.999) };
        const long ipe = 37;
        var s = Make(opt, ipe);
        var replay = new UpstreamReplay(opt, ipe);
        for (long k = 0; k < opt.Epochs * ipe; k++)
        {
            var expected = replay.TrainStep();
            if (s.At(k) != expected) Assert.Fail($"step {k}: {s.At(k)} != upstream {expected}");
        }
    }

    [Test]
    public void From_Config_UsesItsOptimizationSection()
    {
        var config = new IJepaConfig { Data = new DataConfig { BatchSize = 2 }, Optimization = Opt with { Lr = 0.5 } };
        Assert.That(Schedules.From(config, 100).LearningRate(199), Is.EqualTo(0.5));
    }

    [Test]
    public void Constructor_NoSchedulerSteps_Throws()
    {
        Assert.Throws<ArgumentException>(() => Make(Opt with { Epochs = 1, IpeScale = 0.001 }, 100));
        Assert.Throws<ArgumentOutOfRangeException>(() => Make(ipe: 0));
    }

    // upstream's src/train.py loop, statefully: scheduler.step() and wd_scheduler.step() before the update,
    // next(momentum_scheduler) after it.
    private sealed class UpstreamReplay(OptimizationConfig o, long ipe)
    {
        private readonly long _warmupSteps = (long)(o.Warmup * ipe);
        private readonly long _tMax = (long)(o.IpeScale * o.Epochs * ipe);
        private double _lrStep, _wdStep;
        private long _momentumIndex;

        public ScheduleValues TrainStep()
        {
            _lrStep += 1;
            double lr;
            if (_lrStep < _warmupSteps)
                lr = o.StartLr + _lrStep / Math.Max(1, _warmupSteps) * (o.Lr - o.StartLr);
            else
                lr = Math.Max(o.FinalLr, o.FinalLr + (o.Lr - o.FinalLr) * 0.5 * (1.0 + Math.Cos(Math.PI * ((_lrStep - _warmupSteps) / Math.Max(1, _tMax - _warmupSteps)))));
            _wdStep += 1;
            double wd = o.FinalWeightDecay + (o.WeightDecay - o.FinalWeightDecay) * 0.5 * (1.0 + Math.Cos(Math.PI * (_wdStep / _tMax)));
            wd = o.FinalWeightDecay <= o.WeightDecay ? Math.Max(o.FinalWeightDecay, wd) : Math.Min(o.FinalWeightDecay, wd);
            double m = o.Ema.Start + _momentumIndex++ * (o.Ema.End - o.Ema.Start) / (ipe * o.Epochs * o.IpeScale);
            return new ScheduleValues(lr, wd, m);
        }
    }
}
