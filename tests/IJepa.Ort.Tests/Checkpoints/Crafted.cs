// Hand-made safetensors files for the validation tests: any header text, any data bytes.
using System.Text;

namespace IJepa.Ort.Tests.Checkpoints;

internal static class Crafted
{
    /// <summary>Writes an 8-byte little-endian length (the JSON's unless <paramref name="headerLength"/> is given),
    /// the JSON, then <paramref name="data"/>.</summary>
    public static void Write(string path, string json, byte[] data, ulong? headerLength = null)
    {
        byte[] header = Encoding.UTF8.GetBytes(json);
        using var f = File.Create(path);
        f.Write(BitConverter.GetBytes(headerLength ?? (ulong)header.Length));
        f.Write(header);
        f.Write(data);
    }

    /// <summary>A one-tensor header: name "x", the given dtype, shape and offsets.</summary>
    public static string OneTensor(string dtype, string shape, long begin, long end) =>
        $$$"""{"x":{"dtype":"{{{dtype}}}","shape":{{{shape}}},"data_offsets":[{{{begin}}},{{{end}}}]}}""";
}
