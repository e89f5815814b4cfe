// Data-parallel training over Open MPI: N ranks train as one process with the same global batch, a run resumes on
// another number of ranks, and a rank killed mid-run ends the job quickly and leaves a checkpoint to resume from.
using System.Diagnostics;

namespace IJepa.Cli.Tests.Distributed;

[NonParallelizable]
public class DistributedTrainingTests
{
    private const int Steps = 8;
    private const double Tolerance = 1e-5;
    // log.csv holds losses to 5 decimals: a difference far below 1e-5 can still flip the last printed digit.
    private const double LoggedLossTolerance = Tolerance + 1e-5;
    private string _dir = "";

    [OneTimeSetUp]
    public void TrainOneRankReference()
    {
        _dir = Directory.CreateTempSubdirectory("ijepa-mpi-").FullName;
        var single = MpiJob.Run(1, MpiJob.TinyTrain(Run("one"), Steps));
        Assert.That(single.Code, Is.EqualTo(0), single.Err);
    }

    [OneTimeTearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private string Run(string name) => Path.Combine(_dir, name);

    [Test]
    public void TwoRanks_SameGlobalBatch_EqualOneRankAndEachOther()
    {
        var two = MpiJob.Run(2, MpiJob.TinyTrain(Run("two"), Steps));
        Assert.That(two.Code, Is.EqualTo(0), two.Err);
        var json = MpiJob.Json(two);
        Assert.That(json.GetProperty("ranks").GetInt32(), Is.EqualTo(2));
        Assert.That(json.GetProperty("ranks_consistent").GetBoolean(), Is.True, "both ranks end with bit-identical parameters");

        var one = MpiJob.Tensors(Run("one"));
        var twoTensors = MpiJob.Tensors(Run("two"));
        Assert.That(twoTensors.Keys, Is.EquivalentTo(one.Keys));
        double worst = one.Keys.Max(k => MpiJob.RelativeDifference(twoTensors[k], one[k]));
        TestContext.Out.WriteLine($"worst relative difference 1 vs 2 ranks over {one.Count} tensors: {worst:E2}");
        Assert.That(worst, Is.LessThanOrEqualTo(Tolerance));
        Assert.That(MpiJob.Losses(Run("two")), Is.EqualTo(MpiJob.Losses(Run("one"))).Within(LoggedLossTolerance));
    }

    [TestCase(2, 1)]
    [TestCase(1, 2)]
    public void Resume_OnAnotherNumberOfRanks_ContinuesTheSameSchedule(int first, int then)
    {
        string run = Run($"resume-{first}-{then}");
        var start = MpiJob.Run(first, MpiJob.TinyTrain(run, Steps / 2));
        Assert.That(start.Code, Is.EqualTo(0), start.Err);
        var resumed = MpiJob.Run(then, MpiJob.TinyTrain(run, Steps, resume: true));
        Assert.That(resumed.Code, Is.EqualTo(0), resumed.Err);
        Assert.That(MpiJob.Json(resumed).GetProperty("steps").GetInt64(), Is.EqualTo(Steps));
        Assert.That(MpiJob.Losses(run), Is.EqualTo(MpiJob.Losses(Run("one"))).Within(LoggedLossTolerance));
    }

    [Test]
    public void KilledRank_EndsTheJobWithinAMinute_AndTheJobResumes()
    {
        string run = Run("killed");
        using var job = MpiJob.Start(2, MpiJob.TinyTrain(run, 4_000, epochs: 1_000));
        var checkpoint = Path.Combine(run, "checkpoints", "latest.safetensors");
        var clock = Stopwatch.StartNew();
        while (!File.Exists(checkpoint) && clock.Elapsed < TimeSpan.FromMinutes(2) && !job.HasExited) Thread.Sleep(100);
        Assert.That(File.Exists(checkpoint), "the job wrote a checkpoint before the kill");
        int victim = RankPid(run, 1);
        Process.GetProcessById(victim).Kill();   // SIGKILL

        var ended = MpiJob.Wait(job, TimeSpan.FromSeconds(60));
        TestContext.Out.WriteLine($"job ended {ended.Elapsed.TotalSeconds:F1} s after the kill, exit {ended.Code}: {ended.Err.Trim()}");
        Assert.That(ended.Code, Is.Not.EqualTo(0));
        Assert.That(ended.Err, Does.Contain("rank 1").IgnoreCase.And.Contain("signal 9").IgnoreCase);

        var resumed = MpiJob.Run(2, MpiJob.TinyTrain(run, Steps * 2, resume: true, epochs: 1_000));
        Assert.That(resumed.Code, Is.EqualTo(0), resumed.Err);
        Assert.That(resumed.Out, Does.Contain("resuming from"));
    }

    /// <summary>The pid of rank <paramref name="rank"/> of the job training into <paramref name="runDir"/> (from /proc).</summary>
    private static int RankPid(string runDir, int rank)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
            try
            {
                if (!File.ReadAllText(Path.Combine(dir, "cmdline")).Contains(runDir)) continue;
                var environ = File.ReadAllText(Path.Combine(dir, "environ")).Split('\0');
                if (environ.Contains($"OMPI_COMM_WORLD_RANK={rank}") && environ.Any(e => e.StartsWith("OMPI_COMM_WORLD_SIZE="))) return pid;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;   // the process ended while we looked, or is not ours to read
            }
        }
        throw new InvalidOperationException($"no rank {rank} training into {runDir}");
    }
}
