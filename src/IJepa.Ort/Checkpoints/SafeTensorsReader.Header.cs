// Parsing and validation of a safetensors JSON header: the layout rules of the format, checked in full
// before any tensor is read.
using System.Text;
using System.Text.Json;
using IJepa.Ort.Errors;

namespace IJepa.Ort.Checkpoints;

public sealed partial class SafeTensorsReader
{
    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    sealed record Header(IReadOnlyDictionary<string, string> Metadata, IReadOnlyList<SafeTensorInfo> Tensors)
    {
        /// <param name="fail">Makes the exception for a problem (the caller adds the file name).</param>
        public static Header Parse(byte[] json, long dataLength, Func<string, DataException> fail)
        {
            // JsonDocument accepts invalid UTF-8 inside strings and only fails when one is read: check it all first.
            try { StrictUtf8.GetCharCount(json); }
            catch (DecoderFallbackException e) { throw fail($"header is not valid UTF-8 (byte {e.Index} of the header)"); }
            JsonDocument doc;
            try { doc = JsonDocument.Parse(json); }
            catch (JsonException e) { throw fail($"header is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})"); }
            using (doc)
            {
                if (doc.RootElement.ValueKind != JsonValueKind.Object) throw fail("header is not a JSON object");
                var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
                var tensors = new List<SafeTensorInfo>();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var entry in doc.RootElement.EnumerateObject())
                {
                    if (!seen.Add(entry.Name)) throw fail($"key {ShapeText.Quote(entry.Name)} appears twice");
                    if (entry.Name == SafeTensorsWriter.MetadataKey) ReadMetadata(entry.Value, metadata, fail);
                    else tensors.Add(ReadTensor(entry.Name, entry.Value, dataLength, fail));
                }
                tensors.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
                CheckTiling(tensors, dataLength, fail);
                return new Header(metadata, tensors);
            }
        }

        static void ReadMetadata(JsonElement value, Dictionary<string, string> into, Func<string, DataException> fail)
        {
            if (value.ValueKind != JsonValueKind.Object) throw fail("__metadata__ is not an object");
            foreach (var m in value.EnumerateObject())
            {
                if (m.Value.ValueKind != JsonValueKind.String)
                    throw fail($"__metadata__ {ShapeText.Quote(m.Name)} is not a string");
                if (!into.TryAdd(m.Name, m.Value.GetString()!))
                    throw fail($"__metadata__ {ShapeText.Quote(m.Name)} appears twice");
            }
        }

        static SafeTensorInfo ReadTensor(string name, JsonElement value, long dataLength, Func<string, DataException> fail)
        {
            string at = $"tensor {ShapeText.Quote(name)}";
            if (value.ValueKind != JsonValueKind.Object) throw fail($"{at}: entry is not an object");
            if (!value.TryGetProperty("dtype", out var dt) || dt.ValueKind != JsonValueKind.String)
                throw fail($"{at}: dtype missing or not a string");
            if (!SafeTensorDTypes.TryParse(dt.GetString()!, out var dtype))
                throw fail($"{at}: unsupported dtype '{dt.GetString()}' (supported: {SafeTensorDTypes.Supported})");
            long[] shape = Integers(value, "shape", at, fail);
            long[] offsets = Integers(value, "data_offsets", at, fail);
            if (offsets.Length != 2) throw fail($"{at}: data_offsets has {offsets.Length} entries, expected 2");
            long begin = offsets[0], end = offsets[1];
            if (begin > end || end > dataLength)
                throw fail($"{at}: data_offsets [{begin}, {end}] outside the {dataLength}-byte data region");
            long expected;
            try { expected = checked(ShapeText.ElementCount(shape) * dtype.ElementSize()); }
            catch (OverflowException) { throw fail($"{at}: shape {ShapeText.Format(shape)} is too large"); }
            if (end - begin != expected)
                throw fail($"{at}: {end - begin} bytes in data_offsets, but {dtype} {ShapeText.Format(shape)} needs {expected}");
            return new SafeTensorInfo(name, dtype, shape, begin, end);
        }

        static long[] Integers(JsonElement value, string key, string at, Func<string, DataException> fail)
        {
            if (!value.TryGetProperty(key, out var array) || array.ValueKind != JsonValueKind.Array)
                throw fail($"{at}: {key} missing or not an array");
            var result = new long[array.GetArrayLength()];
            int i = 0;
            foreach (var e in array.EnumerateArray())
            {
                if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt64(out long x) || x < 0)
                    throw fail($"{at}: {key} must hold non-negative integers, found {e.GetRawText()}");
                result[i++] = x;
            }
            return result;
        }

        /// <summary>Tensors sorted by offset must cover [0, dataLength) exactly: each begins where the last ended.</summary>
        static void CheckTiling(List<SafeTensorInfo> sorted, long dataLength, Func<string, DataException> fail)
        {
            long position = 0;
            foreach (var t in sorted)
            {
                if (t.Begin < position)
                    throw fail($"tensor {ShapeText.Quote(t.Name)}: data_offsets [{t.Begin}, {t.End}] overlap another tensor's bytes (which end at {position})");
                if (t.Begin > position)
                    throw fail($"tensor {ShapeText.Quote(t.Name)}: data_offsets begin at {t.Begin}, leaving bytes [{position}, {t.Begin}) unused");
                position = t.End;
            }
            if (position != dataLength)
                throw fail($"{dataLength - position} bytes after the last tensor (at {position}) belong to no tensor");
        }
    }
}
