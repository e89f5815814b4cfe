// An encoder as an in-memory ONNX model with its weights inside: what `export` writes and what `embed` and `probe` run.
using System.Globalization;
using IJepa.GraphBuilder.Onnx;
using IJepa.Ort.Errors;

namespace IJepa.Ort.Export;

/// <summary>
/// The model bytes plus the metadata every consumer needs (<c>ijepa.*</c> keys: image size, channels, normalisation).
/// <see cref="Parameters"/> counts the weights baked in (0 when loaded from a file).
/// </summary>
public sealed record EncoderModel(byte[] Bytes, IReadOnlyDictionary<string, string> Metadata, string Source, long Parameters = 0)
{
    public int ImgSize => Int("ijepa.img_size");
    public int InChans => Int("ijepa.in_chans");
    public float[] Mean => Floats("ijepa.mean");
    public float[] Std => Floats("ijepa.std");
    public string Preset => Metadata.TryGetValue("ijepa.preset", out var p) ? p : "";

    /// <summary>Reads an exported encoder (<c>ijepa-ort export</c>); a missing file or missing metadata is a data error naming it.</summary>
    public static EncoderModel Load(string path)
    {
        if (!File.Exists(path)) throw DataException.At(path, "model file not found");
        var bytes = File.ReadAllBytes(path);
        ModelProto proto;
        try { proto = ModelProto.Parser.ParseFrom(bytes); }
        catch (Google.Protobuf.InvalidProtocolBufferException ex) { throw new DataException($"{path}: not an ONNX model: {ex.Message}", ex); }
        var model = new EncoderModel(bytes, proto.MetadataProps.ToDictionary(e => e.Key, e => e.Value), path);
        _ = (model.ImgSize, model.InChans, model.Mean, model.Std);     // fail now, naming the file, if any key is missing
        return model;
    }

    private string Get(string key) => Metadata.TryGetValue(key, out var v) ? v
        : throw DataException.At(Source, $"not an ijepa-ort export (metadata {key} missing)");

    private int Int(string key) => int.Parse(Get(key), CultureInfo.InvariantCulture);
    private float[] Floats(string key) => Get(key).Split(',').Select(s => float.Parse(s, CultureInfo.InvariantCulture)).ToArray();
}
