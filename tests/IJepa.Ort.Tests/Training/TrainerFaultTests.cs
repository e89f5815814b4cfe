// What a kill leaves behind, and what a resume makes of it: numbered checkpoints re-created, mid-epoch checkpoints,
// logs and metrics equal to an uninterrupted run's.
using System.Text.RegularExpressions;
using IJepa.Ort.Checkpoints;
using IJepa.Ort.Tests.Support;
using IJepa.Ort.Training;

namespace IJepa.Ort.Tests.Training;

public class TrainerFaultTests
{
    private static TrainSummary Train(TrainOptions options, Action<TrainProgress>? progress = null)
    {
        using var trainer = new Trainer(options, TextWriter.Null) { EvaluationLog = TextWriter.Null };
        return trainer.Run(progress);
    }

    /// <summary>A log file without what differs between runs of the same steps: step times and evaluation seconds.</summary>
    internal static string[] Comparable(string runDir, string file) => File.ReadAllLines(Path.Combine(runDir, file))
        .Select(l => file == TrainLog.CsvFile ? string.Join(',', l.Split(',').Select((f, i) => i == 5 ? "" : f)) : Regex.Replace(l, "\"eval_seconds\":[^,}]*", ""))
        .ToArray();

    [Test]
    public void Resume_NumberedCheckpointLostToAKillDuringItsCopy_IsRecreatedAsInOneRun()
    {
        using var run = new TinyRun();
        Train(run.Options("whole", maxSteps: 13));
        Train(run.Options("split", maxSteps: 12));
        string folder = CheckpointFolder.FolderOf(run.RunDir("split"));
        File.Delete(Path.Combine(folder, "ep2.safetensors"));                                // the kill came during the copy
        File.WriteAllText(Path.Combine(folder, "ep2.safetensors.tmp"), "half a copy");

        Train(run.Options("split", maxSteps: 13, resume: true));

        Assert.That(File.ReadAllBytes(Path.Combine(folder, "ep2.safetensors")),
            Is.EqualTo(File.ReadAllBytes(Path.Combine(CheckpointFolder.FolderOf(run.RunDir("whole")), "ep2.safetensors"))));
        Assert.That(Directory.GetFiles(folder, "*.tmp"), Is.Empty);
    }

    [Test]
    public void CheckpointEvery_Steps_AKilledRunLosesNoMoreThanThat()
    {
        using var run = new TinyRun();
        var every4 = ("ijepa_ort.checkpoint_every.steps", "4");
        // A crash right after step 5 (an exception out of the progress callback: no stop, no final save).
        Assert.Throws<InvalidOperationException>(() => Train(run.Options("run", 12, false, every4),
            p => { if (p.StepsDone == 5) throw new InvalidOperationException("crash"); }));

        using var resumed = new Trainer(run.Options("run", 12, true, every4), TextWriter.Null);
        Assert.That(resumed.Step, Is.EqualTo(4));
    }

    [Test]
    public void Resume_MidEpoch_LogsAndMetricsEqualOneRun()
    {
        using var run = new TinyRun();
        Train(run.Options("whole", maxSteps: 12));
        Train(run.Options("split", maxSteps: 4));
        Train(run.Options("split", maxSteps: 9, resume: true));
        Train(run.Options("split", maxSteps: 12, resume: true));

        foreach (var file in new[] { TrainLog.CsvFile, TrainLog.MetricsFile })
            Assert.That(Comparable(run.RunDir("split"), file), Is.EqualTo(Comparable(run.RunDir("whole"), file)), file);
    }

    [Test]
    public void Resume_WithUnreadableImages_SkippedCountsEqualOneRun()
    {
        using var run = new TinyRun();
        string folder = Path.Combine(run.Root, "images");
        for (int i = 0; i < 48; i++)
        {
            string file = Path.Combine(folder, "train", $"c{i % 3}", $"{i:D2}.png");
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            if (i % 7 == 3) File.WriteAllText(file, "not a png");                           // 7 unreadable files
            else IJepa.Ort.Tests.Data.TestImages.Write(file, 28, 28, SkiaSharp.SKEncodedImageFormat.Png, seed: i);
        }
        var images = new[] { ("ijepa_ort.dataset", "image_folder"), ("data.root_path", folder), ("ijepa_ort.eval_freq", "0") };
        Train(run.Options("whole", 12, false, images));
        Train(run.Options("split", 5, false, images));
        Train(run.Options("split", 12, true, images));

        var skipped = (string dir) => File.ReadLines(Path.Combine(dir, TrainLog.CsvFile)).Skip(1).Select(l => l.Split(',')[9]).ToList();
        Assert.That(skipped(run.RunDir("whole"))[^1], Is.Not.EqualTo("0"));
        Assert.That(skipped(run.RunDir("split")), Is.EqualTo(skipped(run.RunDir("whole"))));
    }
}
