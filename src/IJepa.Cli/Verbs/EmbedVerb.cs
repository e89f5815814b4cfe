// `ijepa-ort embed --model FILE.onnx --data PATH [--kind K] [--split S] --out FILE.npy|.safetensors`,
// or `embed --model FILE.onnx --latency [--batches 1,32] [--threads 1,2]` (CPU inference time, for bench/export.sh).
using System.Text.Json;
using CommandLine;
using IJepa.Ort.Data;
using IJepa.Ort.Errors;
using IJepa.Ort.Evaluation;
using IJepa.Ort.Export;

namespace IJepa.Cli.Verbs;

[Verb("embed", HelpText = "Run an exported encoder over a data set and write its average-pooled features (or time it: --latency).")]
public sealed class EmbedOptions : CommonOptions
{
    [Option("model", Required = true, HelpText = "An .onnx file written by `ijepa-ort export` (its FILE.onnx.data beside it, if any).")]
    public string Model { get; set; } = "";

    [Option("data", HelpText = "Data folder (IDX files, CIFAR .bin files, or one folder per class).")]
    public string? Data { get; set; }

    [Option("kind", Default = "image_folder", HelpText = "fashion-mnist | idx | cifar | image_folder.")]
    public string Kind { get; set; } = "image_folder";

    [Option("split", Default = DataSplit.Test, HelpText = "train or test.")]
    public DataSplit Split { get; set; } = DataSplit.Test;

    [Option("out", HelpText = "Output .npy (features) or .safetensors (features + labels).")]
    public string? Out { get; set; }

    [Option("latency", HelpText = "Time the model on random images instead (median per batch, CPU).")]
    public bool Latency { get; set; }

    [Option("batches", Separator = ',', Default = new[] { 1, 32 }, HelpText = "With --latency: batch sizes.")]
    public IEnumerable<int> Batches { get; set; } = [1, 32];

    [Option("threads", Separator = ',', Default = new[] { 1, 2 }, HelpText = "With --latency: intra-op thread counts.")]
    public IEnumerable<int> Threads { get; set; } = [1, 2];
}

public static class EmbedVerb
{
    public static int Run(EmbedOptions o)
    {
        if (o.Latency) return Latency(o);
        if (o.Data is null || o.Out is null) throw new ConfigException("embed: --data and --out are required (or --latency)");
        var dataset = DatasetFactory.Open(o.Kind, o.Data, null, o.Split, log: Console.Error);
        var r = Embedder.Run(o.Model, dataset, o.Out);
        Console.WriteLine($"embedded {r.Count} images → {r.Path} ([{r.Count}, {r.Dim}])");
        if (o.Json) Console.WriteLine(JsonSerializer.Serialize(new { path = r.Path, count = r.Count, dim = r.Dim }));
        return 0;
    }

    private static int Latency(EmbedOptions o)
    {
        var results = new List<LatencyResult>();
        foreach (int threads in o.Threads)
            foreach (int batch in o.Batches)
            {
                var r = LatencyBenchmark.Measure(o.Model, batch, threads);
                results.Add(r);
                Console.WriteLine($"batch {r.Batch,3}, {r.Threads} thread(s): {r.MsPerBatch,9:F3} ms/batch, {r.MsPerImage,8:F3} ms/image ({r.Runs} runs)");
            }
        if (o.Json)
            Console.WriteLine(JsonSerializer.Serialize(results.Select(r => new { batch = r.Batch, threads = r.Threads, ms_per_batch = r.MsPerBatch, ms_per_image = r.MsPerImage, runs = r.Runs })));
        return 0;
    }
}
