// `ijepa-ort bench --config models/X.yaml [--batch 64] [--steps 20]`: times the train step on random images.
using System.Text.Json;
using CommandLine;
using IJepa.Ort.Runtime;
using IJepa.Ort.Training;

namespace IJepa.Cli.Verbs;

[Verb("bench", HelpText = "Time the I-JEPA train step (masks, forward + backward, AdamW, EMA) on random images.")]
public sealed class BenchOptions : CommonOptions
{
    [Option("config", Default = IJepa.Ort.Training.TrainOptions.DefaultConfig, HelpText = "Config YAML.")]
    public string Config { get; set; } = IJepa.Ort.Training.TrainOptions.DefaultConfig;

    [Option("batch", Default = 64)] public int Batch { get; set; } = 64;
    [Option("warmup", Default = 5)] public int Warmup { get; set; } = 5;
    [Option("steps", Default = 20)] public int Steps { get; set; } = 20;
    [Option("threads", Default = 2)] public int Threads { get; set; } = 2;
    [Option("device", Default = "cpu")] public string Device { get; set; } = "cpu";
    [Option("context", HelpText = "Fixed context length (with --target): time the peer's mask shapes instead of sampled masks.")] public int? Context { get; set; }
    [Option("profile", HelpText = "Write ONNX Runtime's per-op profile (JSON) with this path prefix.")] public string? Profile { get; set; }
    [Option("target", HelpText = "Fixed target-block length (with --context).")] public int? Target { get; set; }
}

public static class BenchVerb
{
    public static int Run(BenchOptions o)
    {
        var work = Directory.CreateTempSubdirectory("ijepa-bench-").FullName;
        try
        {
            var t = StepBenchmark.Run(o.Config, o.Batch, o.Warmup, o.Steps, o.Threads, ExecutionDevice.Parse(o.Device), work,
                o.Context is int nc && o.Target is int nt ? (nc, nt) : null, o.Profile);
            Console.WriteLine($"{t.Preset}: batch {t.Batch}, median {t.MedianMs:F1} ms/step (min {t.MinMs:F1}) over {t.Steps} steps, {t.ImagesPerSecond:F1} img/s, peak RSS {t.PeakRssMiB:F0} MiB");
            if (o.Json)
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    preset = t.Preset, batch = t.Batch, steps = t.Steps, context = t.ContextLength, target = t.TargetLength, ms_per_step = t.MedianMs, min_ms = t.MinMs,
                    img_per_s = t.ImagesPerSecond, peak_rss_mib = t.PeakRssMiB,
                }));
            return 0;
        }
        finally { Directory.Delete(work, recursive: true); }
    }
}
