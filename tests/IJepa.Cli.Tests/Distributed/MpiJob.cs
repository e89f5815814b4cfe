// Test support: the CLI run as an Open MPI job (mpirun -np N) or as a plain process, on a shrunken micro preset over
// the Fashion-MNIST files that `.ci/run` fetches.
using System.Diagnostics;
using System.Globalization;
using IJepa.Ort.Checkpoints;

namespace IJepa.Cli.Tests.Distributed;

public sealed record JobResult(int Code, string Out, string Err, TimeSpan Elapsed);

public static class MpiJob
{
        private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "ijepa-ort.dll");

    /// <summary>ViT 32/1/2, predictor 16/1/2, global batch 8, <paramref name="epochs"/> epochs of 4 steps, one thread, no online evaluation.</summary>
    public static string[] TinyTrain(string runDir, long maxSteps, bool resume = false, int epochs = 3)
    {
        var set = string.Join(";",
            $"data.root_path={Path.Combine(RepoPaths.Root, "data", "fashion-mnist")}", "data.batch_size=8", "data.num_workers=1",
            "ijepa_ort.ipe=4", $"optimization.epochs={epochs}", "ijepa_ort.model.embed_dim=32", "ijepa_ort.model.depth=1",
            "ijepa_ort.model.num_heads=2", "ijepa_ort.model.pred_num_heads=2", "meta.pred_depth=1", "meta.pred_emb_dim=16",
            "ijepa_ort.threads=1", "ijepa_ort.eval_freq=0", "ijepa_ort.checkpoint_freq=1");
        string[] args = ["train", "--config", Path.Combine(RepoPaths.Root, "models", "fmnist-vit-micro.yaml"), "--out", runDir,
            "--max-steps", maxSteps.ToString(CultureInfo.InvariantCulture), "--json", "--set", set];
        return resume ? [.. args, "--resume"] : args;
    }

    /// <summary>Runs the CLI under <c>mpirun -np <paramref name="ranks"/></c> (as root and on 2 cores: allowed and oversubscribed).</summary>
    public static JobResult Run(int ranks, string[] args, TimeSpan? timeout = null)
    {
        using var process = Start(ranks, args);
        return Wait(process, timeout ?? TimeSpan.FromMinutes(3));
    }

    public static Process Start(int ranks, string[] args)
    {
        var info = new ProcessStartInfo("mpirun") { WorkingDirectory = RepoPaths.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["--allow-run-as-root", "--oversubscribe", "-np", ranks.ToString(CultureInfo.InvariantCulture), "dotnet", Dll, .. args])
            info.ArgumentList.Add(a);
        info.Environment["OMPI_MCA_rmaps_base_oversubscribe"] = "1";
        var process = Process.Start(info) ?? throw new InvalidOperationException("mpirun did not start");
        return process;
    }

    public static JobResult Wait(Process process, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"mpirun still running after {timeout.TotalSeconds} s: {stderr.Result}");
        }
        process.WaitForExit();
        return new JobResult(process.ExitCode, stdout.Result, stderr.Result, clock.Elapsed);
    }

    /// <summary>The last line of stdout as JSON (the CLI's --json contract).</summary>
    public static System.Text.Json.JsonElement Json(JobResult r) =>
        System.Text.Json.JsonDocument.Parse(r.Out.TrimEnd().Split('\n')[^1]).RootElement;

    /// <summary>Every tensor of a run's latest checkpoint.</summary>
    public static Dictionary<string, float[]> Tensors(string runDir)
    {
        using var reader = Checkpoint.Open(CheckpointFolder.FindLatest(runDir)!);
        return reader.Tensors.ToDictionary(t => t.Name, t => reader.Read(t.Name));
    }

    /// <summary>The logged loss of every step, in order.</summary>
    public static List<double> Losses(string runDir) => File.ReadLines(Path.Combine(runDir, "log.csv")).Skip(1)
        .Select(l => double.Parse(l.Split(',')[2], CultureInfo.InvariantCulture)).ToList();

    /// <summary>‖a − b‖ / ‖b‖.</summary>
    public static double RelativeDifference(float[] a, float[] b)
    {
        double diff = 0, norm = 0;
        for (int i = 0; i < a.Length; i++) { diff += Math.Pow(a[i] - b[i], 2); norm += (double)b[i] * b[i]; }
        return norm == 0 ? Math.Sqrt(diff) : Math.Sqrt(diff / norm);
    }
}
