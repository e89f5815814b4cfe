// The deployment contract of an exported encoder, written beside it as "<model>.onnx.json": inputs and outputs with dtypes
// and dims, the exact preprocessing, and the ONNX metadata — for runtimes that cannot read custom metadata
// (onnxruntime-node, onnxruntime-web) and languages without a protobuf parser. README "Deploying the encoder" says the same.
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using IJepa.GraphBuilder.Onnx;
using Onnx;
using N = IJepa.GraphBuilder.Recipes.ArtifactNames;

namespace IJepa.Ort.Export;

public static class DeploymentContract
{
    public const string Format = "ijepa-ort.encoder";
    public const int Version = 1;
    public const string Extension = ".json";

    /// <summary>The steps from an image file to the <c>images</c> input, in order (what `embed` does).</summary>
    public static readonly string[] Steps =
    [
        "decode the file to 8-bit RGB (alpha dropped, no EXIF rotation)",
        "crop the centred largest square: side = min(H, W), top = floor((H - side) / 2), left = floor((W - side) / 2)",
        "resize the square to img_size x img_size with PIL's bilinear filter: separable triangle filter whose support grows with the downscale factor (antialiased), horizontal pass then vertical, in float without rounding between passes (an exact copy when side = img_size)",
        "scale to [0, 1]: value / 255, clamped",
        "channels: in_chans = 3 keeps R, G, B in that order; in_chans = 1 takes the luma 0.299 R + 0.587 G + 0.114 B",
        "normalise each channel: (x - mean[c]) / std[c]",
        "lay out as float32 NCHW (planar, batch first); any batch size",
    ];

    /// <summary>Writes the contract of <paramref name="model"/> (as written to <paramref name="files"/>) to "<c>model</c>.json".</summary>
    public static string Write(ModelProto model, ModelFiles files)
    {
        var path = files.Model + Extension;
        var options = new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        File.WriteAllText(path, Describe(model, files).ToJsonString(options) + "\n");
        return path;
    }

    public static JsonObject Describe(ModelProto model, ModelFiles files)
    {
        var meta = model.MetadataProps.ToDictionary(e => e.Key, e => e.Value);
        var initializers = model.Graph.Initializer.Select(t => t.Name).ToHashSet();
        return new JsonObject
        {
            ["format"] = Format,
            ["version"] = Version,
            ["model"] = Path.GetFileName(files.Model),
            ["external_data"] = files.ExternalData is null ? null : Path.GetFileName(files.ExternalData),
            ["precision"] = meta.GetValueOrDefault(MetadataKeys.Precision, "fp32"),
            ["onnx"] = new JsonObject { ["ir_version"] = model.IrVersion, ["opset"] = model.OpsetImport.First(o => o.Domain == "").Version },
            ["inputs"] = new JsonArray(model.Graph.Input.Where(i => !initializers.Contains(i.Name)).Select(Describe).ToArray()),
            ["outputs"] = new JsonArray(model.Graph.Output.Select(Describe).ToArray()),
            ["preprocessing"] = new JsonObject
            {
                ["img_size"] = int.Parse(meta[MetadataKeys.ImgSize]),
                ["in_chans"] = int.Parse(meta[MetadataKeys.InChans]),
                ["channel_order"] = meta[MetadataKeys.ChannelOrder],
                ["pixel_scale"] = meta[MetadataKeys.PixelScale],
                ["mean"] = Floats(meta[MetadataKeys.Mean]),
                ["std"] = Floats(meta[MetadataKeys.Std]),
                ["resize"] = meta[MetadataKeys.Resize],
                ["layout"] = meta[MetadataKeys.Layout],
                ["steps"] = new JsonArray(Steps.Select(s => (JsonNode)s).ToArray()),
            },
            ["metadata"] = new JsonObject(meta.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
        };
    }

    private static JsonNode Describe(ValueInfoProto value)
    {
        var tensor = value.Type.TensorType;
        var dims = tensor.Shape.Dim.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? (JsonNode)d.DimValue : d.DimParam).ToArray();
        return new JsonObject
        {
            ["name"] = value.Name,
            ["dtype"] = ((TensorProto.Types.DataType)tensor.ElemType).ToString().ToLowerInvariant() switch { "float" => "float32", var t => t },
            ["dims"] = new JsonArray(dims),
            ["meaning"] = value.Name switch
            {
                N.Images => "preprocessed images (see preprocessing)",
                N.Features => "patch features after the final LayerNorm, patches in row-major grid order",
                N.Pooled => "features averaged over patches: the embedding (the paper's evaluation features)",
                _ => "",
            },
        };
    }

    private static JsonArray Floats(string csv) =>
        new(csv.Split(',').Select(s => (JsonNode)double.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray());
}
