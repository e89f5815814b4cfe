// Writes an exported model to disk — one file, or beside it "<file>.data" holding the weights as ONNX external data when
// they pass a threshold (protobuf files cannot exceed 2 GiB) — and reads such external data back into a proto.
using System.Globalization;
using Google.Protobuf;
using IJepa.GraphBuilder.Onnx;
using IJepa.Ort.Checkpoints;
using IJepa.Ort.Errors;
using Onnx;

namespace IJepa.Ort.Export;

public sealed record ModelFiles(string Model, string? ExternalData, long Bytes);

public static class ModelFile
{
    /// <summary>The largest protobuf message: above it the weights must go to external data.</summary>
    public const long MaxProtoBytes = int.MaxValue;

    /// <summary>The default threshold: weights of 1.5 GiB or more go to external data (leaving room for the graph).</summary>
    public const long DefaultExternalDataThreshold = 3L << 29;

    /// <summary>Tensors smaller than this stay inside the model even when the rest goes out (as onnx's own converter does).</summary>
    private const int MinExternalTensorBytes = 1024;

    /// <summary>External tensors start at multiples of this, so a runtime may map them from the file.</summary>
    private const int Alignment = 4096;

    private const string Location = "location", Offset = "offset", Length = "length";

    /// <summary>Bytes of raw tensor data inside the proto's initializers.</summary>
    public static long InlineBytes(ModelProto proto) => proto.Graph.Initializer.Sum(t => (long)t.RawData.Length);

    /// <summary>
    /// Writes <paramref name="proto"/> to <paramref name="path"/> atomically. When its weights reach
    /// <paramref name="externalDataThreshold"/> bytes, every initializer of 1 KiB or more is moved (out of the proto)
    /// into "<paramref name="path"/>.data", 4 KiB aligned, and referenced by location, offset and length.
    /// </summary>
    public static ModelFiles Write(ModelProto proto, string path, long externalDataThreshold = DefaultExternalDataThreshold)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        string? dataPath = null;
        long dataBytes = 0;
        if (InlineBytes(proto) >= externalDataThreshold)
        {
            dataPath = path + ".data";
            dataBytes = WriteExternal(proto, dataPath);
        }
        else if (File.Exists(path + ".data")) File.Delete(path + ".data");       // a stale one from an earlier, larger export
        AtomicFile.Write(path, stream => proto.WriteTo(stream));
        return new ModelFiles(path, dataPath, new FileInfo(path).Length + dataBytes);
    }

    private static long WriteExternal(ModelProto proto, string dataPath)
    {
        string location = Path.GetFileName(dataPath);
        long offset = 0;
        AtomicFile.Write(dataPath, stream =>
        {
            foreach (var tensor in proto.Graph.Initializer.Where(t => t.RawData.Length >= MinExternalTensorBytes))
            {
                long padding = (Alignment - offset % Alignment) % Alignment;
                stream.Write(new byte[padding]);
                offset += padding;
                tensor.RawData.WriteTo(stream);
                tensor.ExternalData.Add(Entry(Location, location));
                tensor.ExternalData.Add(Entry(Offset, offset.ToString(CultureInfo.InvariantCulture)));
                tensor.ExternalData.Add(Entry(Length, tensor.RawData.Length.ToString(CultureInfo.InvariantCulture)));
                tensor.DataLocation = TensorProto.Types.DataLocation.External;
                offset += tensor.RawData.Length;
                tensor.RawData = ByteString.Empty;
            }
        });
        return offset;
    }

    /// <summary>Reads every external initializer of a model loaded from <paramref name="modelPath"/> back into its raw data.</summary>
    public static void ReadExternalData(ModelProto proto, string modelPath)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(modelPath))!;
        foreach (var tensor in proto.Graph.Initializer.Where(t => t.DataLocation == TensorProto.Types.DataLocation.External))
        {
            var info = tensor.ExternalData.ToDictionary(e => e.Key, e => e.Value);
            if (!info.TryGetValue(Location, out var location) || Path.IsPathRooted(location) || location.Split('/', '\\').Contains(".."))
                throw DataException.At(modelPath, $"initializer {tensor.Name}: external data location '{location}' is not a file beside the model");
            var file = Path.Combine(folder, location);
            if (!File.Exists(file)) throw DataException.At(file, $"external data of {tensor.Name} not found");
            long offset = info.TryGetValue(Offset, out var o) ? long.Parse(o, CultureInfo.InvariantCulture) : 0;
            long length = info.TryGetValue(Length, out var l) ? long.Parse(l, CultureInfo.InvariantCulture) : new FileInfo(file).Length - offset;
            using var stream = File.OpenRead(file);
            if (offset + length > stream.Length) throw DataException.At(file, $"external data of {tensor.Name} ends past the file ({offset} + {length} > {stream.Length})");
            var data = new byte[length];
            stream.Position = offset;
            stream.ReadExactly(data);
            tensor.RawData = ByteString.CopyFrom(data);
            tensor.ExternalData.Clear();
            tensor.DataLocation = TensorProto.Types.DataLocation.Default;
        }
    }

    private static StringStringEntryProto Entry(string key, string value) => new() { Key = key, Value = value };
}
