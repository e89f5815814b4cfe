// A minimal safetensors reader for the oracle's files (test-only; F32, F64 and I64 as double / long arrays):
// u64 little-endian header size, JSON header {name: {dtype, shape, data_offsets}, "__metadata__": {..}}, raw data.
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace IJepa.GraphBuilder.Tests.Reference;

internal sealed class OracleFile
{
    private readonly Dictionary<string, (string DType, long[] Shape, byte[] Data)> tensors = new(StringComparer.Ordinal);

    public Dictionary<string, string> Metadata { get; } = new(StringComparer.Ordinal);

    public IEnumerable<string> Names => tensors.Keys;

    public static OracleFile Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("big-endian host");
        long headerSize = checked((long)BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        if (headerSize > bytes.Length - 8) throw new InvalidDataException($"{path}: header size {headerSize} exceeds the file");
        long dataStart = 8 + headerSize;
        using var doc = JsonDocument.Parse(bytes.AsMemory(8, (int)headerSize));
        var file = new OracleFile();
        foreach (var entry in doc.RootElement.EnumerateObject())
        {
            if (entry.Name == "__metadata__")
            {
                foreach (var m in entry.Value.EnumerateObject()) file.Metadata[m.Name] = m.Value.GetString() ?? "";
                continue;
            }
            string dtype = entry.Value.GetProperty("dtype").GetString()!;
            long[] shape = entry.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            long[] offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            long count = shape.Aggregate(1L, (a, b) => a * b), size = dtype switch { "F32" => 4, "F64" or "I64" => 8, _ => 0 };
            if (size == 0) throw new InvalidDataException($"{path}: '{entry.Name}' has unsupported dtype {dtype}");
            if (offsets.Length != 2 || offsets[1] - offsets[0] != count * size || dataStart + offsets[1] > bytes.Length)
                throw new InvalidDataException($"{path}: '{entry.Name}' has bad data_offsets");
            file.tensors[entry.Name] = (dtype, shape, bytes[(int)(dataStart + offsets[0])..(int)(dataStart + offsets[1])]);
        }
        return file;
    }

    public long[] Shape(string name) => Get(name).Shape;

    public double[] Float64(string name)
    {
        var t = Get(name);
        return t.DType switch
        {
            "F32" => Array.ConvertAll(MemoryMarshal.Cast<byte, float>(t.Data).ToArray(), v => (double)v),
            "F64" => MemoryMarshal.Cast<byte, double>(t.Data).ToArray(),
            _ => throw new InvalidDataException($"'{name}' is {t.DType}, expected a float tensor"),
        };
    }

    public long[] Int64(string name)
    {
        var t = Get(name);
        return t.DType == "I64" ? MemoryMarshal.Cast<byte, long>(t.Data).ToArray() : throw new InvalidDataException($"'{name}' is {t.DType}, expected I64");
    }

    private (string DType, long[] Shape, byte[] Data) Get(string name) =>
        tensors.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException($"tensor '{name}' not in the file");
}
