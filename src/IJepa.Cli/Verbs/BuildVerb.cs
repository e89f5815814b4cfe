// `ijepa-ort build --config models/X.yaml [--out graphs/X]`: writes the weight-free graph artifacts of a preset.
using System.Text.Json;
using CommandLine;
using IJepa.Ort.Config;
using IJepa.Ort.Graphs;

namespace IJepa.Cli.Verbs;

[Verb("build", HelpText = "Build the ONNX graph artifacts (train step, AdamW, EMA, encoder, manifest) for a config.")]
public sealed class BuildOptions : CommonOptions
{
    [Option("config", Required = true, HelpText = "A config YAML (official ijepa schema), e.g. models/fmnist-vit-micro.yaml.")]
    public string Config { get; set; } = "";

    [Option("out", HelpText = "Output folder (default graphs/<preset>).")]
    public string? Out { get; set; }
}

public static class BuildVerb
{
    public static int Run(BuildOptions o)
    {
        var config = ConfigLoader.Load(o.Config);
        string preset = PresetGraphs.PresetName(o.Config);
        var result = PresetGraphs.Build(config, preset, o.Out ?? Path.Combine("graphs", preset));
        long bytes = result.Artifacts.Files.Values.Sum(f => (long)f.Length);
        var m = result.Artifacts.Manifest;
        long trainable = m.Parameters.Where(p => p.Trainable).Sum(p => p.Count);
        Console.WriteLine($"built {preset} in {result.Elapsed.TotalSeconds:F2} s → {result.Directory} ({result.Artifacts.Files.Count} files, {bytes / 1024.0:F0} KiB, {trainable:N0} trainable parameters)");
        if (o.Json)
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                preset, dir = result.Directory, seconds = result.Elapsed.TotalSeconds, bytes, trainable_parameters = trainable,
                files = result.Artifacts.Files.ToDictionary(kv => kv.Key, kv => kv.Value.Length),
            }));
        return 0;
    }
}
