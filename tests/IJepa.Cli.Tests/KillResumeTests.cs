// The fast part of bench/faults.sh: `ijepa-ort train` as a child process, SIGKILLed at fixed points (mid-epoch, while
// writing latest, while copying ep<N>, while a resume rewrites the log) and resumed; the result equals an uninterrupted
// run byte for byte (checkpoints) and row for row (logs, step times aside). A SIGTERM stops with 143 and says so.
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace IJepa.Cli.Tests;

[NonParallelizable]
public class KillResumeTests
{
    // A ViT 32/1/2 on Fashion-MNIST, 3 epochs of 3 steps, ep<N> every epoch, latest also every 2 steps.
    const string Tiny = "ijepa_ort.ipe=3;optimization.epochs=3;data.batch_size=8;data.num_workers=1;ijepa_ort.model.embed_dim=32;" +
        "ijepa_ort.model.depth=1;ijepa_ort.model.num_heads=2;ijepa_ort.model.pred_num_heads=2;meta.pred_depth=1;meta.pred_emb_dim=16;" +
        "ijepa_ort.threads=1;ijepa_ort.checkpoint_freq=1;ijepa_ort.eval_freq=0;ijepa_ort.checkpoint_every.steps=2";

    string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("ijepa-kill-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Train_KilledAtEveryKindOfWriteThenResumed_EqualsOneRun()
    {
        string whole = Path.Combine(_dir, "whole"), killed = Path.Combine(_dir, "killed");
        Assert.That(Train(whole).Code, Is.Zero);

        // Each run is killed at its point, the next resumes from what that left; the last one finishes.
        string[] points = ["step:4", "mid-write:latest.safetensors:1", "before-rename:ep2.safetensors:1", "before-rename:log.csv:1"];
        foreach (var point in points)
        {
            var (code, output) = Train(killed, resume: true, killAt: point);
            Assert.That(code, Is.EqualTo(137), $"{point}: {output}");
        }
        var last = Train(killed, resume: true);
        Assert.That(last.Code, Is.Zero, last.Output);

        foreach (var file in new[] { "latest.safetensors", "ep1.safetensors", "ep2.safetensors", "ep3.safetensors" })
            Assert.That(File.ReadAllBytes(Path.Combine(killed, "checkpoints", file)), Is.EqualTo(File.ReadAllBytes(Path.Combine(whole, "checkpoints", file))), file);
        Assert.That(Directory.GetFiles(Path.Combine(killed, "checkpoints"), "*.tmp"), Is.Empty);
        foreach (var file in new[] { "log.csv", "metrics.jsonl" })
            Assert.That(Comparable(Path.Combine(killed, file)), Is.EqualTo(Comparable(Path.Combine(whole, file))), file);
    }

    [Test]
    public void Train_Sigterm_ExitsWith143AndSaysHowToResume()
    {
        string run = Path.Combine(_dir, "run");
        var (code, output) = Train(run, sigtermAfterFirstStep: true);
        Assert.That(code, Is.EqualTo(143), output);
        Assert.That(output, Does.Match(@"stopped at step \d+; resume with --resume").And.Not.Contain("done:"));
        Assert.That(Train(run, resume: true).Code, Is.Zero);
    }

    /// <summary>A log without step times and evaluation seconds, which differ between any two runs.</summary>
    static string[] Comparable(string path) => File.ReadAllLines(path)
        .Select(l => path.EndsWith(".csv") ? string.Join(',', l.Split(',').Select((f, i) => i == 5 ? "" : f)) : Regex.Replace(l, "\"eval_seconds\":[^,}]*", ""))
        .ToArray();

    static (int Code, string Output) Train(string runDir, bool resume = false, string? killAt = null, bool sigtermAfterFirstStep = false)
    {
        string root = RepoPaths.Root;
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        string[] args = [Path.Combine(TestContext.CurrentContext.TestDirectory, "ijepa-ort.dll"), "train", "--out", runDir,
            "--set", $"{Tiny};data.root_path={Path.Combine(root, "data", "fashion-mnist")}", .. resume ? new[] { "--resume" } : []];
        foreach (var a in args) start.ArgumentList.Add(a);
        if (killAt is not null) start.Environment["IJEPA_KILL_AT"] = killAt;
        using var process = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        var stepped = new ManualResetEventSlim();
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); if (e.Data?.StartsWith("step ") == true) stepped.Set(); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (sigtermAfterFirstStep && stepped.Wait(TimeSpan.FromSeconds(60))) Kill(process.Id, "TERM");
        if (!process.WaitForExit(TimeSpan.FromSeconds(120))) process.Kill();
        process.WaitForExit();
        lock (output) return (process.ExitCode, output.ToString());
    }

    static void Kill(int pid, string signal) => Process.Start("kill", $"-{signal} {pid}")!.WaitForExit();
}
