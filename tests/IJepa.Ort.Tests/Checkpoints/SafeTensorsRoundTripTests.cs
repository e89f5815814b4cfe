// Writer → reader round trips: bit-exact data, metadata, deterministic bytes, pieces and misuse.
using System.Runtime.InteropServices;
using IJepa.Ort.Checkpoints;
using IJepa.Ort.Errors;

namespace IJepa.Ort.Tests.Checkpoints;

public class SafeTensorsRoundTripTests : TempFolderTest
{
    // Values whose bits a careless conversion would change: NaN payloads, -0, subnormals, infinities.
    static readonly float[] Floats =
        [1.5f, -0f, float.Epsilon, float.MaxValue, float.NegativeInfinity, BitConverter.Int32BitsToSingle(0x7fc01234), 3.14159274f];
    static readonly double[] Doubles =
        [Math.PI, -0d, double.Epsilon, double.PositiveInfinity, BitConverter.Int64BitsToDouble(0x7ff8000000abcdef), 1e-300];
    static readonly long[] Longs = [0, -1, long.MinValue, long.MaxValue, 48, 1L << 40];
    static readonly byte[] Bytes = [0, 1, 127, 128, 255];

    static readonly SafeTensorSpec[] Specs =
    [
        new("w", SafeTensorDType.F32, [7]),
        new("d", SafeTensorDType.F64, [2, 3]),
        new("idx", SafeTensorDType.I64, [3, 1, 2]),
        new("empty", SafeTensorDType.F32, [0, 4]),
        new("u", SafeTensorDType.U8, [5]),
    ];

    static readonly Dictionary<string, string> Meta = new() { ["zeta"] = "last", ["alpha"] = "ünïcode \"quoted\"\nline 2", ["n"] = "" };

    string WriteSample(string name)
    {
        string path = File(name);
        using var stream = System.IO.File.Create(path);
        var writer = new SafeTensorsWriter(stream, Specs, Meta);
        writer.Write(Floats);
        writer.Write(Doubles);
        writer.Write(Longs);
        writer.Write(ReadOnlySpan<float>.Empty);
        writer.WriteBytes(Bytes);
        writer.Complete();
        return path;
    }

    [Test]
    public void ReadInto_AllDTypes_BitExact()
    {
        using var reader = SafeTensorsReader.Open(WriteSample("a.safetensors"));

        Assert.That(MemoryMarshal.AsBytes(reader.ReadF32("w").AsSpan()).ToArray(), Is.EqualTo(MemoryMarshal.AsBytes(Floats.AsSpan()).ToArray()));
        Assert.That(MemoryMarshal.AsBytes(reader.ReadF64("d").AsSpan()).ToArray(), Is.EqualTo(MemoryMarshal.AsBytes(Doubles.AsSpan()).ToArray()));
        Assert.That(reader.ReadI64("idx"), Is.EqualTo(Longs));
        Assert.That(reader.ReadU8("u"), Is.EqualTo(Bytes));
        Assert.That(reader.ReadF32("empty"), Is.Empty);
        var into = new float[7];
        reader.ReadInto("w", into);
        Assert.That(BitConverter.SingleToInt32Bits(into[5]), Is.EqualTo(0x7fc01234));
    }

    [Test]
    public void Open_WrittenFile_ShapesOrderAndMetadataKept()
    {
        using var reader = SafeTensorsReader.Open(WriteSample("a.safetensors"));

        Assert.That(reader.Tensors.Select(t => t.Name), Is.EqualTo(new[] { "w", "d", "idx", "empty", "u" }));
        Assert.That(reader.Info("idx").Shape, Is.EqualTo(new long[] { 3, 1, 2 }));
        Assert.That(reader.Info("idx").DType, Is.EqualTo(SafeTensorDType.I64));
        Assert.That(reader.Info("empty").Shape, Is.EqualTo(new long[] { 0, 4 }));
        Assert.That(reader.Metadata, Is.EquivalentTo(Meta));
    }

    [Test]
    public void Write_SameInputTwice_SameBytes()
    {
        var a = System.IO.File.ReadAllBytes(WriteSample("a.safetensors"));
        var b = System.IO.File.ReadAllBytes(WriteSample("b.safetensors"));

        Assert.That(a, Is.EqualTo(b));
        Assert.That(BitConverter.ToUInt64(a, 0) % 8, Is.Zero, "header length is a multiple of 8");
    }

    [Test]
    public void Write_MetadataInAnotherInsertionOrder_SameBytes()
    {
        var reversed = Meta.Reverse().ToDictionary();
        using var s1 = new MemoryStream();
        using var s2 = new MemoryStream();
        new SafeTensorsWriter(s1, [], Meta).Complete();
        new SafeTensorsWriter(s2, [], reversed).Complete();

        Assert.That(s1.ToArray(), Is.EqualTo(s2.ToArray()));
    }

    [Test]
    public void Write_TensorInPieces_SameBytesAsWhole()
    {
        var data = Enumerable.Range(0, 10).Select(i => i * 0.25f).ToArray();
        SafeTensorSpec[] specs = [new("x", SafeTensorDType.F32, [2, 5])];
        using var whole = new MemoryStream();
        using var pieces = new MemoryStream();
        var w1 = new SafeTensorsWriter(whole, specs);
        w1.Write(data);
        w1.Complete();
        var w2 = new SafeTensorsWriter(pieces, specs);
        w2.Write(data.AsSpan(0, 3));
        w2.WriteBytes(MemoryMarshal.AsBytes(data.AsSpan(3, 7)));
        w2.Complete();

        Assert.That(pieces.ToArray(), Is.EqualTo(whole.ToArray()));
    }

    [Test]
    public void Write_WrongDTypeOrTooMuchData_Throws()
    {
        using var stream = new MemoryStream();
        var writer = new SafeTensorsWriter(stream, [new("x", SafeTensorDType.F32, [2])]);

        Assert.That(() => writer.Write(new double[] { 1, 2 }), Throws.ArgumentException.With.Message.Contains("'x'"));
        Assert.That(() => writer.Write(new float[3]), Throws.ArgumentException.With.Message.Contains("'x'"));
        writer.Write(new float[2]);
        Assert.That(() => writer.Write(new float[1]), Throws.InvalidOperationException);
    }

    [Test]
    public void Complete_TensorMissingData_Throws()
    {
        using var stream = new MemoryStream();
        var writer = new SafeTensorsWriter(stream, [new("a", SafeTensorDType.F32, [1]), new("b", SafeTensorDType.I64, [2])]);
        writer.Write(new float[1]);
        writer.Write(new long[1]);

        Assert.That(writer.Next, Is.EqualTo("b"));
        Assert.That(writer.Complete, Throws.InvalidOperationException.With.Message.Contains("'b'"));
    }

    [Test]
    public void Constructor_DuplicateOrReservedName_Throws()
    {
        using var stream = new MemoryStream();

        Assert.That(() => new SafeTensorsWriter(stream, [new("a", SafeTensorDType.F32, [1]), new("a", SafeTensorDType.F32, [1])]),
            Throws.ArgumentException);
        Assert.That(() => new SafeTensorsWriter(stream, [new(SafeTensorsWriter.MetadataKey, SafeTensorDType.F32, [1])]),
            Throws.ArgumentException);
    }

    [Test]
    public void ReadInto_WrongDTypeOrLength_DataExceptionNamingFileAndTensor()
    {
        string path = WriteSample("a.safetensors");
        using var reader = SafeTensorsReader.Open(path);

        Assert.That(() => reader.ReadInto("d", new float[6]), Throws.TypeOf<DataException>()
            .With.Message.EqualTo($"{path}: tensor 'd' is F64, expected F32"));
        Assert.That(() => reader.ReadInto("w", new float[6]), Throws.TypeOf<DataException>()
            .With.Message.StartsWith($"{path}: tensor 'w' F32 [7] has 7 elements"));
        Assert.That(() => reader.ReadF32("nope"), Throws.TypeOf<DataException>()
            .With.Message.StartsWith($"{path}: tensor 'nope' not found"));
    }

    [Test]
    public void Open_HeaderEntriesNotInOffsetOrder_ReadsByOffsets()
    {
        // Hugging Face's writer orders entries by dtype alignment, then name: the JSON order need not be the data order.
        string path = File("hf.safetensors");
        Crafted.Write(path, """{"__metadata__":{"format":"pt"},"b":{"dtype":"I64","shape":[2],"data_offsets":[0,16]},"a":{"dtype":"F32","shape":[2],"data_offsets":[16,24]}}""",
            [.. BitConverter.GetBytes(7L), .. BitConverter.GetBytes(-8L), .. BitConverter.GetBytes(1f), .. BitConverter.GetBytes(2f)]);
        using var reader = SafeTensorsReader.Open(path);

        Assert.That(reader.ReadI64("b"), Is.EqualTo(new long[] { 7, -8 }));
        Assert.That(reader.ReadF32("a"), Is.EqualTo(new[] { 1f, 2f }));
        Assert.That(reader.Tensors.Select(t => t.Name), Is.EqualTo(new[] { "b", "a" }));
    }
}
