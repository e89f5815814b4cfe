// The trainer end to end on a tiny preset: resume reproduces the loss curve, checkpoints round-trip, export matches.
using IJepa.Ort.Checkpoints;
using IJepa.Ort.Errors;
using IJepa.Ort.Runtime;
using IJepa.Ort.Tests.Support;
using IJepa.Ort.Training;

namespace IJepa.Ort.Tests.Training;

public class TrainerTests
{
    private static TrainSummary Train(TrainOptions options)
    {
        using var trainer = new Trainer(options, TextWriter.Null);
        return trainer.Run();
    }

    private static List<double> Losses(string runDir) => TrainLog.ReadLosses(runDir, 6).Select(l => l.Loss).ToList();

    [Test]
    public void Resume_AfterMaxSteps_LogsTheSameLossesAsOneRun()
    {
        using var run = new TinyRun();
        Train(run.Options("whole", maxSteps: 10));
        Train(run.Options("split", maxSteps: 4));
        var resumed = Train(run.Options("split", maxSteps: 10, resume: true));
        Assert.That(resumed.Steps, Is.EqualTo(10));
        var whole = Losses(run.RunDir("whole"));
        Assert.That(whole, Has.Count.EqualTo(10));
        Assert.That(Losses(run.RunDir("split")), Is.EqualTo(whole));
    }

    [Test]
    public void Train_MaxSteps_StopsThereAndWritesLatestWithoutChangingSchedules()
    {
        using var run = new TinyRun();
        var summary = Train(run.Options(maxSteps: 3));
        Assert.That(summary.Steps, Is.EqualTo(3));
        using var reader = Checkpoint.Open(CheckpointFolder.FindLatest(run.RunDir())!);
        Assert.That(reader.Meta.Step, Is.EqualTo(3));
        var lrs = File.ReadLines(Path.Combine(run.RunDir(), TrainLog.CsvFile)).Skip(1).Select(l => double.Parse(l.Split(',')[6], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        // 4 epochs × 6 steps, warmup 1 epoch from start_lr 2e-4 to lr 1e-3: the schedule of the full run, not of 3 steps.
        Assert.That(lrs[0], Is.EqualTo(2e-4 + 1 * (1e-3 - 2e-4) / 6).Within(1e-9));
    }

    [Test]
    public void Checkpoint_SaveThenLoad_RestoresEveryBufferExactly()
    {
        using var run = new TinyRun();
        using var trainer = new Trainer(run.Options(maxSteps: 2), TextWriter.Null);
        trainer.Run();
        using var reader = Checkpoint.Open(CheckpointFolder.FindLatest(run.RunDir())!);
        using var copy = new ParameterStore(trainer.Store.Manifest);
        StoreCheckpoint.Load(reader, copy);
        foreach (var p in trainer.Store.Manifest.Parameters)
        {
            Assert.That(copy.Tensor(p.Name).ToArray(), Is.EqualTo(trainer.Store.Tensor(p.Name).ToArray()), p.Name);
            if (p.Trainable)
            {
                Assert.That(copy.MomentM(p.Name).ToArray(), Is.EqualTo(trainer.Store.MomentM(p.Name).ToArray()), p.Name);
                Assert.That(copy.MomentV(p.Name).ToArray(), Is.EqualTo(trainer.Store.MomentV(p.Name).ToArray()), p.Name);
            }
        }
    }

    [Test]
    public void Resume_CorruptedLatest_IsRefusedNamingTheFile()
    {
        using var run = new TinyRun();
        Train(run.Options(maxSteps: 2));
        var latest = CheckpointFolder.FindLatest(run.RunDir())!;
        var bytes = File.ReadAllBytes(latest);
        bytes[^10] ^= 0x40;
        File.WriteAllBytes(latest, bytes);
        var ex = Assert.Throws<DataException>(() => Train(run.Options(maxSteps: 4, resume: true)));
        Assert.That(ex!.Message, Does.Contain(latest));
        Assert.That(ex.Message, Does.Not.Contain("\n"));
    }

    [Test]
    public void Train_ObjectiveLevers_LogFiniteLosses()
    {
        using var run = new TinyRun();
        var summary = Train(run.Options(maxSteps: 3, extra: [("ijepa_ort.model.depth", "2"), ("ijepa_ort.target_blocks", "2"),
            ("ijepa_ort.vc_loss.variance", "1"), ("ijepa_ort.vc_loss.covariance", "0.04")]));
        Assert.That(summary.Steps, Is.EqualTo(3));
        Assert.That(Losses(run.RunDir()), Has.Count.EqualTo(3).And.All.Matches<double>(l => double.IsFinite(l) && l > 0));
    }

    /// <summary>An objective lever shapes the graphs as the model does: a checkpoint of another objective is refused, not mixed.</summary>
    [Test]
    public void Resume_WithAnotherObjective_IsRefusedNamingTheLevers()
    {
        using var run = new TinyRun();
        Train(run.Options(maxSteps: 2));
        var ex = Assert.Throws<IJepaException>(() => Train(run.Options(maxSteps: 4, resume: true, extra: ("ijepa_ort.vc_loss.variance", "1"))));
        Assert.That(ex!.Message, Does.Contain("ijepa_ort.vc_loss").And.Contain("another model or objective"));
    }

    [Test]
    public void Run_LossBecomesNonFinite_StopsWithClearErrorAndKeepsLastCheckpoint()
    {
        using var run = new TinyRun();
        Train(run.Options(maxSteps: 6));
        var latest = CheckpointFolder.FindLatest(run.RunDir())!;
        var before = File.ReadAllBytes(latest);
        // An absurd learning rate blows the weights up within a few updates.
        var ex = Assert.Throws<IJepaException>(() => Train(run.Options("run", 24, true,
            ("optimization.lr", "1e30"), ("optimization.start_lr", "1e30"), ("optimization.final_lr", "1e30"))));
        Assert.That(ex!.Message, Does.Contain("loss is").And.Contain("intact"));
        Assert.That(File.ReadAllBytes(latest), Is.EqualTo(before));
        using var reader = Checkpoint.Open(latest);
        Assert.That(reader.Meta.Step, Is.EqualTo(6));
    }

    [Test]
    public void Run_EpochEnds_WritesLogsPlotAndNumberedCheckpoints()
    {
        using var run = new TinyRun();
        var summary = Train(run.Options(maxSteps: 12));
        Assert.That(File.Exists(summary.Plot) && new FileInfo(summary.Plot).Length > 1000);
        Assert.That(File.Exists(Path.Combine(run.RunDir(), "config.yaml")));
        Assert.That(CheckpointFolder.ListNumbered(run.RunDir()).Select(c => c.Epoch), Is.EqualTo(new[] { 2 }));
        var header = File.ReadLines(Path.Combine(run.RunDir(), TrainLog.CsvFile)).First();
        Assert.That(header, Is.EqualTo("epoch,itr,loss,mask-A,mask-B,time (ms),lr,wd,momentum,skipped"));
        // Two epoch summaries and, at epoch 2 (eval_freq 2), one online evaluation.
        var metrics = File.ReadLines(Path.Combine(run.RunDir(), TrainLog.MetricsFile)).ToList();
        Assert.That(metrics, Has.Count.EqualTo(3));
        Assert.That(metrics.Count(m => m.Contains($"\"{IJepa.Ort.Evaluation.OnlineEvaluation.Top1Key}\"")), Is.EqualTo(1));
    }
}
