// Streaming safetensors writer (the Hugging Face format): an 8-byte little-endian header length N, N bytes
// of JSON padded with spaces to a multiple of 8, then each tensor's raw little-endian bytes in the order
// declared. The layout is fixed up front, so data goes straight from the caller's spans to the stream.
using System.Buffers.Binary;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace IJepa.Ort.Checkpoints;

/// <summary>A tensor to be written: name, element type and shape; the data follows later.</summary>
public readonly record struct SafeTensorSpec(string Name, SafeTensorDType DType, long[] Shape);

/// <summary>
/// Writes one safetensors file to a stream: the header at construction, then the tensors' data in the
/// declared order through <see cref="Write(ReadOnlySpan{float})"/> (a tensor may come in several pieces),
/// then <see cref="Complete"/>. The same specs, metadata and data give the same bytes: tensors keep the given
/// order, metadata keys are sorted, and the JSON is compact. The stream stays the caller's to dispose.
/// </summary>
public sealed class SafeTensorsWriter
{
    /// <summary>The reserved header key for string-to-string metadata.</summary>
    public const string MetadataKey = "__metadata__";

    readonly Stream output;
    readonly SafeTensorSpec[] specs;
    readonly long[] byteLengths;
    int current;          // index of the tensor being written
    long writtenInCurrent; // bytes of it written so far

    public SafeTensorsWriter(Stream output, IReadOnlyList<SafeTensorSpec> tensors,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        RawBytes.RequireLittleEndian();
        this.output = output;
        specs = tensors.ToArray();
        byteLengths = new long[specs.Length];
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < specs.Length; i++)
        {
            var s = specs[i];
            if (s.Name == MetadataKey || !names.Add(s.Name))
                throw new ArgumentException($"tensor name {ShapeText.Quote(s.Name)} is reserved or given twice");
            if (s.Shape.Any(d => d < 0))
                throw new ArgumentException($"tensor {ShapeText.Quote(s.Name)}: negative dimension in {ShapeText.Format(s.Shape)}");
            byteLengths[i] = checked(ShapeText.ElementCount(s.Shape) * s.DType.ElementSize());
        }
        byte[] header = Header(metadata);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        output.Write(length);
        output.Write(header);
        SkipEmptyTensors();
    }

    /// <summary>The header JSON, padded with spaces to a multiple of 8 bytes as the reference writer does.</summary>
    byte[] Header(IReadOnlyDictionary<string, string>? metadata)
    {
        var json = new MemoryStream();
        // Relaxed escaping keeps non-ASCII text (a config's comments) readable; quotes and controls are still escaped.
        using (var w = new Utf8JsonWriter(json, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                w.WriteStartObject(MetadataKey);
                foreach (var key in metadata.Keys.Order(StringComparer.Ordinal)) w.WriteString(key, metadata[key]);
                w.WriteEndObject();
            }
            long offset = 0;
            for (int i = 0; i < specs.Length; i++)
            {
                w.WriteStartObject(specs[i].Name);
                w.WriteString("dtype", specs[i].DType.HeaderName());
                w.WriteStartArray("shape");
                foreach (long d in specs[i].Shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                w.WriteNumberValue(offset += byteLengths[i]);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        int padded = checked((int)(json.Length + 7) / 8 * 8);
        while (json.Length < padded) json.WriteByte((byte)' ');
        return json.ToArray();
    }

    /// <summary>The name of the tensor the next <c>Write</c> continues, or null when all are written.</summary>
    public string? Next => current < specs.Length ? specs[current].Name : null;

    public void Write(ReadOnlySpan<float> data) => WriteTyped(data);
    public void Write(ReadOnlySpan<double> data) => WriteTyped(data);
    public void Write(ReadOnlySpan<long> data) => WriteTyped(data);

    /// <summary>Raw bytes for the current tensor, whatever its dtype (already little-endian).</summary>
    public void WriteBytes(ReadOnlySpan<byte> data) => WriteRaw(data, null);

    void WriteTyped<T>(ReadOnlySpan<T> data) where T : unmanaged
    {
        var dtype = SafeTensorDTypes.Of<T>();
        RawBytes.ForEachPiece(data, bytes => WriteRaw(bytes, dtype));
    }

    void WriteRaw(ReadOnlySpan<byte> data, SafeTensorDType? dtype)
    {
        if (data.IsEmpty) return;
        if (current >= specs.Length)
            throw new InvalidOperationException($"all {specs.Length} tensors are already written");
        var spec = specs[current];
        if (dtype is { } d && d != spec.DType)
            throw new ArgumentException($"tensor {ShapeText.Quote(spec.Name)} is {spec.DType}, data given as {d}");
        long remaining = byteLengths[current] - writtenInCurrent;
        if (data.Length > remaining)
            throw new ArgumentException($"tensor {ShapeText.Quote(spec.Name)} {spec.DType} {ShapeText.Format(spec.Shape)}: " +
                                        $"{data.Length} bytes given, {remaining} left to write");
        output.Write(data);
        writtenInCurrent += data.Length;
        if (writtenInCurrent == byteLengths[current])
        {
            current++;
            writtenInCurrent = 0;
            SkipEmptyTensors();
        }
    }

    void SkipEmptyTensors()
    {
        while (current < specs.Length && byteLengths[current] == 0) current++;
    }

    /// <summary>Checks that every tensor was written in full and flushes the stream's buffers.</summary>
    public void Complete()
    {
        if (current < specs.Length)
            throw new InvalidOperationException($"tensor {ShapeText.Quote(specs[current].Name)} has " +
                                                $"{writtenInCurrent} of {byteLengths[current]} bytes written");
        output.Flush();
    }
}
