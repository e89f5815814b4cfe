// An encoder as an in-memory ONNX model with its weights inside: what `export` writes and what `embed` and `probe` run.
using System.Globalization;
using Google.Protobuf;
using IJepa.GraphBuilder.Onnx;
using IJepa.Ort.Errors;
using Onnx;

namespace IJepa.Ort.Export;

/// <summary>
/// The model proto plus the metadata every consumer needs (<c>ijepa.*</c> keys: image size, channels, normalisation).
/// <see cref="Parameters"/> counts the weights baked in (0 when loaded from a file).
/// </summary>
public sealed class EncoderModel(ModelProto proto, string source, long parameters = 0)
{
    private byte[]? _bytes;

    public ModelProto Proto { get; } = proto;
    public IReadOnlyDictionary<string, string> Metadata { get; } = proto.MetadataProps.ToDictionary(e => e.Key, e => e.Value);
    public string Source { get; } = source;
    public long Parameters { get; } = parameters;

    /// <summary>The serialised model, for an in-memory ONNX Runtime session (models above 2 GiB only run from their files).</summary>
    public byte[] Bytes => _bytes ??= ModelFile.InlineBytes(Proto) < ModelFile.MaxProtoBytes
        ? Proto.ToByteArray()
        : throw new IJepaException($"{Source}: the model is larger than 2 GiB; run it from its file (external data)");

    public int ImgSize => Int(MetadataKeys.ImgSize);
    public int InChans => Int(MetadataKeys.InChans);
    public int PatchSize => Int(MetadataKeys.PatchSize);
    public float[] Mean => Floats(MetadataKeys.Mean);
    public float[] Std => Floats(MetadataKeys.Std);
    public string Preset => Metadata.TryGetValue(MetadataKeys.Preset, out var p) ? p : "";

    /// <summary>
    /// Reads an exported encoder (<c>ijepa-ort export</c>), its external data (if any) read back into the proto;
    /// a missing file or missing metadata is a data error naming it.
    /// </summary>
    public static EncoderModel Load(string path)
    {
        if (!File.Exists(path)) throw DataException.At(path, "model file not found");
        ModelProto proto;
        try
        {
            using var stream = File.OpenRead(path);
            proto = ModelProto.Parser.ParseFrom(stream);
        }
        catch (InvalidProtocolBufferException ex) { throw new DataException($"{path}: not an ONNX model: {ex.Message}", ex); }
        ModelFile.ReadExternalData(proto, path);
        var model = new EncoderModel(proto, path);
        _ = (model.ImgSize, model.InChans, model.Mean, model.Std);     // fail now, naming the file, if any key is missing
        return model;
    }

    private string Get(string key) => Metadata.TryGetValue(key, out var v) ? v
        : throw DataException.At(Source, $"not an ijepa-ort export (metadata {key} missing)");

    private int Int(string key) => int.Parse(Get(key), CultureInfo.InvariantCulture);
    private float[] Floats(string key) => Get(key).Split(',').Select(s => float.Parse(s, CultureInfo.InvariantCulture)).ToArray();
}
