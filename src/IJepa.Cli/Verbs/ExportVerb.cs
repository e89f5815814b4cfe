// `ijepa-ort export --checkpoint runs/NAME [--encoder target|context] [--precision fp32|fp16|int8] --out FILE.onnx`.
using System.Text.Json;
using CommandLine;
using IJepa.Ort.Export;

namespace IJepa.Cli.Verbs;

[Verb("export", HelpText = "Export a trained encoder as a self-contained ONNX model (IR 10, opset 21, weights inside, dynamic batch) and its contract FILE.onnx.json.")]
public sealed class ExportOptions : CommonOptions
{
    /// <summary>The deployment contract in brief (README "Deploying the encoder" and FILE.onnx.json hold it in full).</summary>
    private const string Contract =
        "Output .onnx file; its contract goes to FILE.onnx.json (external data, if any, to FILE.onnx.data). The model:\n" +
        "input   images float32 [B, in_chans, size, size]\n" +
        "        (size = img_size)\n" +
        "output  features float32 [B, N, D]: patches after the\n" +
        "        final LayerNorm, N = (img_size / patch_size)^2\n" +
        "output  pooled float32 [B, D]: the embedding (mean)\n" +
        "preprocessing, in order:\n" +
        "  decode to 8-bit RGB (alpha dropped)\n" +
        "  centre square crop: side min(H, W), top\n" +
        "    floor((H - side) / 2), left floor((W - side) / 2)\n" +
        "  PIL bilinear (antialiased) resize to img_size\n" +
        "  x / 255 (to [0, 1])\n" +
        "  in_chans 1: luma 0.299 R + 0.587 G + 0.114 B\n" +
        "  (x - mean[c]) / std[c]\n" +
        "metadata: ijepa.img_size, in_chans, patch_size,\n" +
        "  embed_dim, mean, std (comma-separated),\n" +
        "  channel_order (RGB | L), pixel_scale (1/255),\n" +
        "  resize, layout (NCHW), precision, preset,\n" +
        "  encoder, step, outputs";

    [Option("checkpoint", Required = true, HelpText = "A run folder (its latest checkpoint) or a checkpoint file (also one written by `import`).")]
    public string Checkpoint { get; set; } = "";

    [Option("encoder", Default = "target", HelpText = "target (EMA, the paper's evaluation encoder) or context.")]
    public string Encoder { get; set; } = "target";

    [Option("precision", Default = "fp32", HelpText = "fp32; fp16 (float16 weights, float32 compute, half the size); int8 (per-channel int8 linear weights, a quarter).")]
    public string Precision { get; set; } = "fp32";

    [Option("int8", Default = "dynamic", HelpText = "With --precision int8: dynamic (MatMulInteger on quantized activations) or qdq (DequantizeLinear weights, float Gemm).")]
    public string Int8 { get; set; } = "dynamic";

    [Option("external-data-mib", Default = 1536L, HelpText = "Weights of this many MiB or more go to FILE.onnx.data (ONNX external data; protobuf files stop at 2 GiB).")]
    public long ExternalDataMiB { get; set; } = 1536;

    [Option("out", Required = true, HelpText = Contract)]
    public string Out { get; set; } = "";
}

public static class ExportVerb
{
    public static int Run(ExportOptions o)
    {
        var settings = new ExportSettings
        {
            Encoder = o.Encoder,
            Precision = ExportPrecisions.Parse(o.Precision),
            Int8 = ExportPrecisions.ParseScheme(o.Int8),
            ExternalDataThreshold = o.ExternalDataMiB << 20,
        };
        var r = EncoderExport.Export(o.Checkpoint, o.Out, settings);
        string precision = r.Precision == ExportPrecision.Int8 ? $"int8 {settings.Int8.ToString().ToLowerInvariant()}" : r.Precision.Name();
        Console.WriteLine($"exported the {r.Encoder} encoder ({r.Parameters:N0} parameters, {precision}, {r.Bytes / 1048576.0:F1} MiB) → {r.Path}" +
                          (r.ExternalData is null ? "" : $" + {r.ExternalData}") + $"; contract → {r.Contract}");
        if (o.Json)
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                path = r.Path, encoder = r.Encoder, precision = r.Precision.Name(), parameters = r.Parameters, bytes = r.Bytes,
                external_data = r.ExternalData, contract = r.Contract,
            }));
        return 0;
    }
}
