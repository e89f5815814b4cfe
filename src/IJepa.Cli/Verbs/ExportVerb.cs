// `ijepa-ort export --checkpoint runs/NAME [--encoder target|context] --out FILE.onnx`.
using System.Text.Json;
using CommandLine;
using IJepa.Ort.Export;

namespace IJepa.Cli.Verbs;

[Verb("export", HelpText = "Export a trained encoder as a self-contained ONNX model (weights inside, dynamic batch).")]
public sealed class ExportOptions : CommonOptions
{
    [Option("checkpoint", Required = true, HelpText = "A run folder (its latest checkpoint) or a checkpoint file.")]
    public string Checkpoint { get; set; } = "";

    [Option("encoder", Default = "target", HelpText = "target (EMA, the paper's evaluation encoder) or context.")]
    public string Encoder { get; set; } = "target";

    [Option("out", Required = true, HelpText = "Output .onnx file.")]
    public string Out { get; set; } = "";
}

public static class ExportVerb
{
    public static int Run(ExportOptions o)
    {
        var r = EncoderExport.Export(o.Checkpoint, o.Encoder, o.Out);
        Console.WriteLine($"exported the {r.Encoder} encoder ({r.Parameters:N0} parameters, {r.Bytes / 1048576.0:F1} MiB) → {r.Path}");
        if (o.Json) Console.WriteLine(JsonSerializer.Serialize(new { path = r.Path, encoder = r.Encoder, parameters = r.Parameters, bytes = r.Bytes }));
        return 0;
    }
}
