// `ijepa-ort embed --model FILE.onnx --data PATH [--kind K] [--split S] --out FILE.npy|.safetensors`.
using System.Text.Json;
using CommandLine;
using IJepa.Ort.Data;
using IJepa.Ort.Evaluation;
using IJepa.Ort.Export;

namespace IJepa.Cli.Verbs;

[Verb("embed", HelpText = "Run an exported encoder over a data set and write its average-pooled features.")]
public sealed class EmbedOptions : CommonOptions
{
    [Option("model", Required = true, HelpText = "An .onnx file written by `ijepa-ort export`.")]
    public string Model { get; set; } = "";

    [Option("data", Required = true, HelpText = "Data folder (IDX files, CIFAR .bin files, or one folder per class).")]
    public string Data { get; set; } = "";

    [Option("kind", Default = "image_folder", HelpText = "fashion-mnist | idx | cifar | image_folder.")]
    public string Kind { get; set; } = "image_folder";

    [Option("split", Default = DataSplit.Test, HelpText = "train or test.")]
    public DataSplit Split { get; set; } = DataSplit.Test;

    [Option("out", Required = true, HelpText = "Output .npy (features) or .safetensors (features + labels).")]
    public string Out { get; set; } = "";
}

public static class EmbedVerb
{
    public static int Run(EmbedOptions o)
    {
        var dataset = DatasetFactory.Open(o.Kind, o.Data, null, o.Split, log: Console.Error);
        var r = Embedder.Run(o.Model, dataset, o.Out);
        Console.WriteLine($"embedded {r.Count} images → {r.Path} ([{r.Count}, {r.Dim}])");
        if (o.Json) Console.WriteLine(JsonSerializer.Serialize(new { path = r.Path, count = r.Count, dim = r.Dim }));
        return 0;
    }
}
