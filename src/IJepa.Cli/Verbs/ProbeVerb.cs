// `ijepa-ort probe --checkpoint runs/NAME | --model FILE.onnx [--method linear|knn|both] [--task class|count|size]
// [--readout mean,grid:K,attentive] [--baselines] [--json]`.
using System.Globalization;
using System.Text.Json;
using CommandLine;
using IJepa.Ort.Errors;
using IJepa.Ort.Evaluation;
using IJepa.Ort.Runtime;

namespace IJepa.Cli.Verbs;

[Verb("probe", HelpText = "Evaluate frozen encoder features: linear probe and kNN top-1, optionally against random-init and raw-pixel baselines.")]
public sealed class ProbeOptions : CommonOptions
{
    [Option("checkpoint", HelpText = "A run folder (its latest checkpoint) or a checkpoint file.")]
    public string? Checkpoint { get; set; }

    [Option("model", HelpText = "An .onnx file written by `ijepa-ort export` (instead of --checkpoint).")]
    public string? Model { get; set; }

    [Option("config", HelpText = "With --model: the preset YAML (random-init baseline, default data set).")]
    public string? Config { get; set; }

    [Option("encoder", Default = "target", HelpText = "With --checkpoint: target (EMA, the paper's choice) or context.")]
    public string Encoder { get; set; } = "target";

    [Option("method", Default = "both", HelpText = "linear | knn | both.")]
    public string Method { get; set; } = "both";

    [Option("task", Separator = ',', HelpText = "class (the data set's labels, default) or count,size (generated scenes: object count, largest object's size).")]
    public IEnumerable<string> Task { get; set; } = [];

    [Option("data", HelpText = "Data folder (default: the checkpoint's or config's data set).")]
    public string? Data { get; set; }

    [Option("kind", HelpText = "With --data: fashion-mnist | idx | cifar | image_folder | scenes.")]
    public string? Kind { get; set; }

    [Option("baselines", HelpText = "Also probe a randomly initialised encoder of the same preset and the raw pixels.")]
    public bool Baselines { get; set; }

    [Option("last-blocks", Default = 0, HelpText = "0: average-pooled output (the paper's protocol); N: the last N blocks pooled and concatenated.")]
    public int LastBlocks { get; set; }

    [Option("readout", Default = "mean", HelpText = "Comma list of readouts, each applied to every encoder and baseline: mean (average over patches, the paper's protocol; always reported), " +
        "grid:K (K×K regions of the patch grid each averaged, concatenated), attentive (a learned query cross-attending over the tokens, then a linear layer; reported as linear).")]
    public string Readout { get; set; } = "mean";

    [Option("train-size", Default = 0, HelpText = "Probe on a seeded subset of this many training images (0: all).")]
    public int TrainSize { get; set; }

    [Option("test-size", Default = 0, HelpText = "Test on a seeded subset of this many test images (0: all).")]
    public int TestSize { get; set; }

    [Option("validation", HelpText = "Score on images held out of the training split (--test-size of them, default 10,000) instead of the test split: choose settings on this, report on the test split once.")]
    public bool Validation { get; set; }

    [Option("curve", HelpText = "Also probe every numbered checkpoint of the run (and its random init) and plot top-1 over training.")]
    public bool Curve { get; set; }

    [Option("plot", HelpText = "Where --curve draws its plot (default RUN/probe.png).")]
    public string? Plot { get; set; }

    [Option("epochs", Default = 20, HelpText = "Linear probe: epochs per fit.")]
    public int Epochs { get; set; }

    [Option("knn-k", Default = 20, HelpText = "kNN: neighbours (k).")]
    public int K { get; set; }

    [Option("knn-uncentred", HelpText = "kNN: cosine on the raw features (default: centred by the training features' mean, then L2-normalised).")]
    public bool KnnUncentred { get; set; }

    [Option("attentive-epochs", Default = 10, HelpText = "Attentive probe: epochs per fit.")]
    public int AttentiveEpochs { get; set; }

    [Option("seed", Default = 0UL, HelpText = "Seeds the subsets, the validation split and the probe's data order.")]
    public ulong Seed { get; set; }

    [Option("threads", Default = 0, HelpText = "ONNX Runtime intra-op threads (0: its default).")]
    public int Threads { get; set; }

    [Option("device", Default = "cpu", HelpText = "cpu or cuda:N.")]
    public string Device { get; set; } = "cpu";
}

public static class ProbeVerb
{
    public static int Run(ProbeOptions o)
    {
        var request = new ProbeRequest
        {
            Checkpoint = o.Checkpoint, Model = o.Model, Config = o.Config, Encoder = o.Encoder,
            Methods = ParseMethods(o.Method), Tasks = ParseTasks(o.Task), Data = o.Data, Kind = o.Kind,
            Baselines = o.Baselines, LastBlocks = o.LastBlocks, Readouts = ProbeReadout.ParseList(o.Readout), Validation = o.Validation, TrainSize = o.TrainSize, TestSize = o.TestSize,
            Curve = o.Curve, Plot = o.Plot, Seed = o.Seed, Threads = o.Threads, Device = ExecutionDevice.Parse(o.Device),
            Linear = new LinearProbeOptions { Epochs = Positive(o.Epochs, "--epochs") },
            Knn = new KnnOptions { K = Positive(o.K, "--knn-k"), Center = !o.KnnUncentred },
            Attentive = new AttentiveProbeOptions { Epochs = Positive(o.AttentiveEpochs, "--attentive-epochs") },
        };
        if (request.LastBlocks < 0) throw new ConfigException($"--last-blocks: {request.LastBlocks} must not be negative");
        var report = Probe.Run(request, o.Json ? Console.Error : Console.Out);
        PrintTable(report, request);
        if (o.Json) Console.WriteLine(Json(report));
        return 0;
    }

    private static void PrintTable(ProbeReport r, ProbeRequest request)
    {
        Console.WriteLine($"top-1 of {r.Subject} on {r.Dataset} (train {r.TrainCount}, test {r.TestCount}) [{r.Seconds:F0} s]");
        var methods = request.Methods;
        Console.WriteLine($"  {"encoder",-12} {"readout",-10} {"task",-6} " + string.Join(" ", methods.Select(m => $"{Probe.Name(m),8}")));
        foreach (var group in r.Scores.GroupBy(s => (s.Readout, s.Encoder, s.Task)).OrderBy(g => ReadoutOrder(r, g.Key.Readout)))
            Console.WriteLine($"  {group.Key.Encoder,-12} {group.Key.Readout,-10} {group.Key.Task.ToString().ToLowerInvariant(),-6} " +
                string.Join(" ", methods.Select(m => group.FirstOrDefault(s => s.Method == m) is { } s ? $"{100 * s.Top1,7:F2}%" : $"{"-",8}")));
        if (r.Plot is not null) Console.WriteLine($"  curve: {r.Plot}");
    }

    /// <summary>Rows grouped by readout, in the order asked for (the pixels' "flat" with mean).</summary>
    private static int ReadoutOrder(ProbeReport r, string readout) =>
        readout == ProbeReadout.FlatPixels ? 0 : r.Scores.Select(s => s.Readout).Where(x => x != ProbeReadout.FlatPixels).Distinct().ToList().IndexOf(readout);

    private static string Json(ProbeReport r) => JsonSerializer.Serialize(new
    {
        subject = r.Subject, step = r.Step, dataset = r.Dataset, train = r.TrainCount, test = r.TestCount, seconds = r.Seconds,
        features = r.Features.ToDictionary(kv => kv.Key, kv => new
        {
            dim = kv.Value.Dim, std_normalized = kv.Value.Collapse.NormalizedStd, effective_rank = kv.Value.Collapse.EffectiveRank,
            collapse_warning = kv.Value.Collapse.Warning,
        }),
        results = r.Scores.Select(s => new
        {
            encoder = s.Encoder, readout = s.Readout, task = Lower(s.Task), method = Probe.Name(s.Method), top1 = s.Top1, lr = s.Lr, weight_decay = s.WeightDecay, ridge = s.Ridge, seconds = s.Seconds,
        }),
        curve = r.Curve.Select(p => new { step = p.Step, readout = p.Readout, task = Lower(p.Task), method = Probe.Name(p.Method), top1 = p.Top1 }),
        plot = r.Plot,
    });

    private static string Lower(ProbeTask t) => t.ToString().ToLowerInvariant();

    private static IReadOnlyList<ProbeMethod> ParseMethods(string text) => text.Trim().ToLowerInvariant() switch
    {
        "linear" => [ProbeMethod.Linear],
        "knn" => [ProbeMethod.Knn],
        "both" or "all" => [ProbeMethod.Linear, ProbeMethod.Knn],
        _ => throw new ConfigException($"--method: '{text}' is not linear, knn or both"),
    };

    private static IReadOnlyList<ProbeTask> ParseTasks(IEnumerable<string> names)
    {
        var tasks = names.Select(n => n.Trim().ToLowerInvariant() switch
        {
            "class" => ProbeTask.Class,
            "count" => ProbeTask.Count,
            "size" => ProbeTask.Size,
            _ => throw new ConfigException($"--task: '{n}' is not class, count or size"),
        }).Distinct().ToList();
        return tasks.Count > 0 ? tasks : [ProbeTask.Class];
    }

    private static int Positive(int value, string option) =>
        value > 0 ? value : throw new ConfigException($"{option}: {value.ToString(CultureInfo.InvariantCulture)} must be positive");
}
