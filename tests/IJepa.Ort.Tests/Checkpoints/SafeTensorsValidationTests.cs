// Damaged or malformed files are refused when opened, each with one line naming the file and what is wrong.
using IJepa.Ort.Checkpoints;
using IJepa.Ort.Errors;

namespace IJepa.Ort.Tests.Checkpoints;

public class SafeTensorsValidationTests : TempFolderTest
{
    static readonly byte[] Eight = new byte[8];

    /// <summary>Opening <paramref name="path"/> fails with a one-line DataException that starts with the path
    /// and contains <paramref name="expected"/>.</summary>
    static void AssertRefused(string path, string expected)
    {
        var e = Assert.Throws<DataException>(() => SafeTensorsReader.Open(path).Dispose())!;
        Assert.That(e.Message, Does.StartWith($"{path}: not a valid safetensors file: "));
        Assert.That(e.Message, Does.Contain(expected));
        Assert.That(e.Message, Does.Not.Contain('\n'));
        Assert.That(e.ExitCode, Is.EqualTo(3));
    }

    [Test]
    public void Open_ShorterThanLengthField_Refused()
    {
        string path = File("short.safetensors");
        System.IO.File.WriteAllBytes(path, [1, 2, 3]);

        AssertRefused(path, "3 bytes, shorter than the 8-byte header length");
    }

    [Test]
    public void Open_HeaderLengthBeyondFile_Refused()
    {
        string path = File("long.safetensors");
        string json = Crafted.OneTensor("F32", "[2]", 0, 8);
        Crafted.Write(path, json, Eight, headerLength: 10_000);

        AssertRefused(path, $"header length 10000 exceeds the {json.Length + 8} bytes after it");
    }

    [Test]
    public void Open_HugeHeaderLength_RefusedWithoutAllocating()
    {
        string path = File("huge.safetensors");
        Crafted.Write(path, "{}", [], headerLength: ulong.MaxValue);

        AssertRefused(path, $"header length {ulong.MaxValue} exceeds");
    }

    [Test]
    public void Open_TruncatedData_Refused()
    {
        string path = File("cut.safetensors");
        Crafted.Write(path, Crafted.OneTensor("F32", "[2]", 0, 8), Eight[..5]);

        AssertRefused(path, "tensor 'x': data_offsets [0, 8] outside the 5-byte data region");
    }

    [Test]
    public void Open_WrittenFileCutShort_Refused()
    {
        string path = File("cut.safetensors");
        using (var s = System.IO.File.Create(path))
        {
            var w = new SafeTensorsWriter(s, [new("a", SafeTensorDType.F32, [4]), new("b", SafeTensorDType.F32, [4])]);
            w.Write(new float[4]);
            w.Write(new float[4]);
            w.Complete();
        }
        using (var s = System.IO.File.OpenWrite(path)) s.SetLength(s.Length - 1);

        AssertRefused(path, "tensor 'b': data_offsets [16, 32] outside the 31-byte data region");
    }

    [Test]
    public void Open_OverlappingOffsets_Refused()
    {
        string path = File("overlap.safetensors");
        Crafted.Write(path, """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", new byte[12]);

        AssertRefused(path, "tensor 'b': data_offsets [4, 12] overlap another tensor's bytes");
    }

    [Test]
    public void Open_HoleBetweenTensors_Refused()
    {
        string path = File("hole.safetensors");
        Crafted.Write(path, """{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""", new byte[12]);

        AssertRefused(path, "tensor 'b': data_offsets begin at 8, leaving bytes [4, 8) unused");
    }

    [Test]
    public void Open_TrailingBytes_Refused()
    {
        string path = File("trailing.safetensors");
        Crafted.Write(path, Crafted.OneTensor("F32", "[2]", 0, 8), new byte[9]);

        AssertRefused(path, "1 bytes after the last tensor (at 8) belong to no tensor");
    }

    [Test]
    public void Open_ShapeSizeMismatch_Refused()
    {
        string path = File("shape.safetensors");
        Crafted.Write(path, Crafted.OneTensor("F32", "[3]", 0, 8), Eight);

        AssertRefused(path, "tensor 'x': 8 bytes in data_offsets, but F32 [3] needs 12");
    }

    [Test]
    public void Open_OffsetsReversed_Refused()
    {
        string path = File("reversed.safetensors");
        Crafted.Write(path, Crafted.OneTensor("F32", "[0]", 8, 0), Eight);

        AssertRefused(path, "tensor 'x': data_offsets [8, 0] outside");
    }

    [TestCase("BF16", "unsupported dtype 'BF16'")]
    [TestCase("f32", "unsupported dtype 'f32'")]
    public void Open_UnsupportedDType_Refused(string dtype, string expected)
    {
        string path = File("dtype.safetensors");
        Crafted.Write(path, Crafted.OneTensor(dtype, "[4]", 0, 8), Eight);

        AssertRefused(path, $"tensor 'x': {expected}");
    }

    [TestCase("""{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}""", "header is not valid JSON")]
    [TestCase("""[1, 2]""", "header is not a JSON object")]
    [TestCase("""{"x":{"dtype":"F32","shape":[2.5],"data_offsets":[0,8]}}""", "tensor 'x': shape must hold non-negative integers, found 2.5")]
    [TestCase("""{"x":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}""", "tensor 'x': shape must hold non-negative integers, found -2")]
    [TestCase("""{"x":{"dtype":"F32","shape":[2],"data_offsets":[0]}}""", "tensor 'x': data_offsets has 1 entries, expected 2")]
    [TestCase("""{"x":{"shape":[2],"data_offsets":[0,8]}}""", "tensor 'x': dtype missing")]
    [TestCase("""{"x":{"dtype":"F32","data_offsets":[0,8]}}""", "tensor 'x': shape missing")]
    [TestCase("""{"x":[1]}""", "tensor 'x': entry is not an object")]
    [TestCase("""{"__metadata__":{"k":1},"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", "__metadata__ 'k' is not a string")]
    [TestCase("""{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", "key 'x' appears twice")]
    [TestCase("""{"x":{"dtype":"F32","shape":[4611686018427387904, 4],"data_offsets":[0,8]}}""", "tensor 'x': shape [4611686018427387904, 4] is too large")]
    public void Open_MalformedHeader_Refused(string json, string expected)
    {
        string path = File("bad.safetensors");
        Crafted.Write(path, json, Eight);

        AssertRefused(path, expected);
    }

    [Test]
    public void Open_NameWithNewline_MessageStaysOneLine()
    {
        string path = File("newline.safetensors");
        Crafted.Write(path, """{"a\nb":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", Eight);

        AssertRefused(path, @"tensor 'a\u000ab'");
    }

    [Test]
    public void Open_MissingFile_DataExceptionNamingIt()
    {
        string path = File("absent.safetensors");

        var e = Assert.Throws<DataException>(() => SafeTensorsReader.Open(path))!;
        Assert.That(e.Message, Does.StartWith($"{path}: cannot open"));
    }
}
