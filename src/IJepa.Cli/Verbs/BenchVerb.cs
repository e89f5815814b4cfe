// `ijepa-ort bench --config models/X.yaml [--batch 64] [--steps 20]`: times the train step on random images (under
// mpirun: on every rank, with the allreduce of the gradient buffer timed on its own).
using System.Text.Json;
using CommandLine;
using IJepa.Ort.Distributed;
using IJepa.Ort.Runtime;
using IJepa.Ort.Training;

namespace IJepa.Cli.Verbs;

[Verb("bench", HelpText = "Time the I-JEPA train step (masks, forward + backward, allreduce, AdamW, EMA) on random images.")]
public sealed class BenchOptions : CommonOptions
{
    [Option("config", Default = IJepa.Ort.Training.TrainOptions.DefaultConfig, HelpText = "Config YAML.")]
    public string Config { get; set; } = IJepa.Ort.Training.TrainOptions.DefaultConfig;

    [Option("set", Separator = ';', HelpText = "Config overrides: key=value;key=value (e.g. meta.model_name=vit_base;mask.patch_size=16).")]
    public IEnumerable<string> Set { get; set; } = [];

    [Option("batch", Default = 64, HelpText = "Global batch (split over the ranks under mpirun).")] public int Batch { get; set; } = 64;
    [Option("warmup", Default = 5)] public int Warmup { get; set; } = 5;
    [Option("steps", Default = 20)] public int Steps { get; set; } = 20;
    [Option("threads", Default = 2)] public int Threads { get; set; } = 2;
    [Option("device", Default = "cpu")] public string Device { get; set; } = "cpu";
    [Option("comm", Default = "auto", HelpText = "auto, mpi or nccl (see train).")] public string Comm { get; set; } = "auto";
    [Option("allreduce-rounds", Default = 20, HelpText = "Under mpirun: allreduces of the gradient buffer timed on their own.")] public int AllreduceRounds { get; set; } = 20;
    [Option("context", HelpText = "Fixed context length (with --target): time the peer's mask shapes instead of sampled masks.")] public int? Context { get; set; }
    [Option("profile", HelpText = "Write ONNX Runtime's per-op profile (JSON): a bare name goes under bench/results/tmp/, a path is used as given.")] public string? Profile { get; set; }
    [Option("target", HelpText = "Fixed target-block length (with --context).")] public int? Target { get; set; }
    [Option("dump-first-step", HelpText = "Write the first step's loss and gradients to this safetensors file (compare devices with bench/compare-steps.py).")] public string? DumpFirstStep { get; set; }
    [Option("tf32", Default = "on", HelpText = "CUDA: on (ORT's default) or off (exact float32 matmuls, for parity).")] public string Tf32 { get; set; } = "on";
}

public static class BenchVerb
{
    public static int Run(BenchOptions o)
    {
        if (o.Tf32 is not ("on" or "off")) throw new IJepa.Ort.Errors.ConfigException($"--tf32: '{o.Tf32}' is not on or off");
        var device = ExecutionDevice.Parse(o.Device) with { Tf32 = o.Tf32 == "on" };
        using var comm = Communicator.Create(device, o.Comm, Console.Error);
        var work = Directory.CreateTempSubdirectory("ijepa-bench-").FullName;
        string? profile = ProfilePrefix(o.Profile);
        var started = DateTime.UtcNow;
        try
        {
            var t = StepBenchmark.Run(new BenchRequest(o.Config, o.Batch, o.Warmup, o.Steps, o.Threads, device, work)
            {
                FixedMasks = o.Context is int nc && o.Target is int nt ? (nc, nt) : null, ProfilePrefix = profile,
                Overrides = ConfigOverrides.Parse(o.Set), Communicator = comm, AllreduceRounds = o.AllreduceRounds, DumpFirstStep = o.DumpFirstStep,
            });
            if (comm.Rank != 0) return 0;
            string ranks = t.Ranks > 1 ? $", {t.Ranks} ranks ({comm.Kind})" : "";
            Console.WriteLine($"{t.Preset}: batch {t.Batch}{ranks}, median {t.MedianMs:F1} ms/step (min {t.MinMs:F1}, max {t.MaxMs:F1}) over {t.Steps} steps, {t.ImagesPerSecond:F1} img/s, peak RSS {t.PeakRssMiB:F0} MiB, first step after {t.FirstStepSeconds:F1} s");
            Console.WriteLine("  per step: " + string.Join(", ", t.PhaseMs.Select(p => $"{p.Key} {p.Value:F1} ms")));
            if (device.IsCuda) Console.WriteLine($"  host↔device copies by ijepa-ort during a step: {t.HostDeviceBytesPerStep:N0} bytes (parameters: {t.GradientElements * 4:N0})");
            if (profile is not null) foreach (var file in ProfileFiles(profile, started)) Console.WriteLine($"  profile: {file}");
            if (t.AllreduceMs is double ar) Console.WriteLine($"  allreduce alone: {ar:F2} ms for {t.GradientElements:N0} floats ({t.GradientElements * 4 / 1048576.0:F1} MiB)");
            if (o.Json)
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    preset = t.Preset, batch = t.Batch, steps = t.Steps, context = t.ContextLength, target = t.TargetLength, ms_per_step = t.MedianMs,
                    min_ms = t.MinMs, max_ms = t.MaxMs, img_per_s = t.ImagesPerSecond, peak_rss_mib = t.PeakRssMiB, first_step_s = t.FirstStepSeconds,
                    phases_ms = t.PhaseMs, ranks = t.Ranks, comm = comm.Kind, allreduce_ms = t.AllreduceMs, gradient_elements = t.GradientElements,
                    host_device_bytes_per_step = t.HostDeviceBytesPerStep, first_loss = t.FirstLoss, device = device.ToString(), tf32 = device.Tf32,
                }));
            return 0;
        }
        finally { Directory.Delete(work, recursive: true); }
    }

    /// <summary>Where ONNX Runtime's profile goes: a bare name under bench/results/tmp/ (ignored by git), never loose in the
    /// working folder; a path (with a folder) as given. The folder is created.</summary>
    public static string? ProfilePrefix(string? given)
    {
        if (given is null) return null;
        string prefix = Path.GetDirectoryName(given) is { Length: > 0 } ? given : Path.Combine("bench", "results", "tmp", given);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(prefix))!);
        return prefix;
    }

    /// <summary>The profiles ONNX Runtime wrote with <paramref name="prefix"/> (it appends a time stamp and .json) since <paramref name="since"/>.</summary>
    static IEnumerable<string> ProfileFiles(string prefix, DateTime since) =>
        Directory.EnumerateFiles(Path.GetDirectoryName(Path.GetFullPath(prefix))!, Path.GetFileName(prefix) + "*.json")
            .Where(f => File.GetLastWriteTimeUtc(f) >= since.AddSeconds(-1)).Order();
}
