// A file from our writer, checked against the format's layout rules (those of the oracle's reader and the
// reference implementation) by an independent parse: JsonDocument for the header, byte-wise decoding of data.
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using IJepa.Ort.Checkpoints;

namespace IJepa.Ort.Tests.Checkpoints;

public class SafeTensorsLayoutTests
{
    [Test]
    public void Write_OracleLayoutRules_Hold()
    {
        float[] weight = [0.5f, -1.25f, 3e-8f, 1e30f, -0f, 7f];
        long[] index = [3, 1, 4, 1, 5, 9, 2, 6];
        SafeTensorSpec[] specs =
        [
            new("encoder.patch_embed.proj.weight", SafeTensorDType.F32, [1, 1, 2, 3]),
            new("context_index", SafeTensorDType.I64, [2, 4]),
        ];
        using var stream = new MemoryStream();
        var writer = new SafeTensorsWriter(stream, specs, new Dictionary<string, string> { ["img"] = "28", ["eps"] = "1e-6" });
        writer.Write(weight);
        writer.Write(index);
        writer.Complete();
        byte[] file = stream.ToArray();

        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(file);
        Assert.That(n % 8, Is.Zero);
        string header = Encoding.UTF8.GetString(file, 8, (int)n);
        Assert.That(header, Does.StartWith("{"));
        Assert.That(header.TrimEnd(' '), Does.EndWith("}"), "padding is spaces only");
        using var doc = JsonDocument.Parse(header);
        var root = doc.RootElement;
        Assert.That(root.GetProperty("__metadata__").GetProperty("img").GetString(), Is.EqualTo("28"));
        Assert.That(root.GetProperty("__metadata__").GetProperty("eps").GetString(), Is.EqualTo("1e-6"));

        int dataStart = 8 + (int)n;
        var w = root.GetProperty("encoder.patch_embed.proj.weight");
        Assert.That(w.GetProperty("dtype").GetString(), Is.EqualTo("F32"));
        Assert.That(w.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()), Is.EqualTo(new long[] { 1, 1, 2, 3 }));
        Assert.That(w.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()), Is.EqualTo(new long[] { 0, 24 }));
        var decodedWeight = Enumerable.Range(0, 6).Select(i => BinaryPrimitives.ReadSingleLittleEndian(file.AsSpan(dataStart + 4 * i)));
        Assert.That(decodedWeight, Is.EqualTo(weight));

        var c = root.GetProperty("context_index");
        Assert.That(c.GetProperty("dtype").GetString(), Is.EqualTo("I64"));
        Assert.That(c.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()), Is.EqualTo(new long[] { 2, 4 }));
        Assert.That(c.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()), Is.EqualTo(new long[] { 24, 88 }));
        var decodedIndex = Enumerable.Range(0, 8).Select(i => BinaryPrimitives.ReadInt64LittleEndian(file.AsSpan(dataStart + 24 + 8 * i)));
        Assert.That(decodedIndex, Is.EqualTo(index));

        Assert.That(file.Length, Is.EqualTo(dataStart + 88), "the tensors tile the data region exactly");
    }

    [Test]
    public void Write_MetadataFirstCompactJson_MatchesReferenceText()
    {
        using var stream = new MemoryStream();
        var writer = new SafeTensorsWriter(stream, [new("a", SafeTensorDType.F32, [2])], new Dictionary<string, string> { ["k"] = "v" });
        writer.Write([1f, 2f]);
        writer.Complete();
        byte[] file = stream.ToArray();

        const string json = """{"__metadata__":{"k":"v"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""";
        int padded = (json.Length + 7) / 8 * 8;
        Assert.That(BinaryPrimitives.ReadUInt64LittleEndian(file), Is.EqualTo((ulong)padded));
        Assert.That(Encoding.UTF8.GetString(file, 8, padded), Is.EqualTo(json.PadRight(padded)));
    }
}
