// `ijepa-ort import --from FILE.pth.tar|model.safetensors|HF-FOLDER --config models/X.yaml --out runs/NAME`.
using System.Text.Json;
using CommandLine;
using IJepa.Ort.Import;

namespace IJepa.Cli.Verbs;

[Verb("import", HelpText = "Import pretrained weights (upstream ijepa .pth.tar, or a Hugging Face IJepaModel safetensors) as a checkpoint that export, embed, probe and train --resume take.")]
public sealed class ImportOptions : CommonOptions
{
    [Option("from", Required = true, HelpText = "An upstream checkpoint (e.g. IN1K-vit.h.14-300e.pth.tar; read without running any pickled code) or an HF model.safetensors / its folder.")]
    public string From { get; set; } = "";

    [Option("config", Required = true, HelpText = "The config whose model the weights fit (e.g. models/in1k_vith14_ep300.yaml).")]
    public string Config { get; set; } = "";

    [Option("out", Required = true, HelpText = "Run folder to create: OUT/checkpoints/latest.safetensors and OUT/config.yaml.")]
    public string Out { get; set; } = "";
}

public static class ImportVerb
{
    public static int Run(ImportOptions o)
    {
        var r = CheckpointImporter.Import(new ImportRequest(o.From, o.Config, o.Out));
        Console.WriteLine($"imported {r.Imported} tensors ({r.Layout}) → {r.Checkpoint}");
        if (r.Copied.Count > 0) Console.WriteLine($"  {r.Copied.Count} target-encoder tensors copied from the encoder (the source has one encoder)");
        if (r.Initialised.Count > 0) Console.WriteLine($"  initialised as a fresh run (not in the source): {string.Join(", ", r.Initialised)}");
        foreach (var note in r.Notes) Console.WriteLine("  " + note);
        if (o.Json)
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                checkpoint = r.Checkpoint, layout = r.Layout, imported = r.Imported, copied = r.Copied.Count, initialised = r.Initialised, notes = r.Notes,
            }));
        return 0;
    }
}
