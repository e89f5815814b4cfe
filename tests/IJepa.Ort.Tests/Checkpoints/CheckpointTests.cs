// Checkpoint files: exact round trip of tensors and metadata, detection of damage, atomic replacement.
using System.Buffers;
using System.Runtime.InteropServices;
using IJepa.Ort.Checkpoints;
using IJepa.Ort.Errors;

namespace IJepa.Ort.Tests.Checkpoints;

public class CheckpointTests : TempFolderTest
{
    static readonly CheckpointMeta Meta = new()
    {
        Step = 1234,
        Epoch = 7,
        Seed = -42,
        ConfigYaml = "meta:\n  model_name: vit_tiny\noptimization:\n  lr: 0.001 # comment ü\n",
        PresetHash = "0123abcd",
        Extra = new Dictionary<string, string> { ["rng.data"] = "state-bytes", ["note"] = "" },
    };

    static NamedTensor[] Sample(float offset = 0)
    {
        // A flat buffer with views into it, as the parameter store keeps them.
        var flat = Enumerable.Range(0, 30).Select(i => i * 0.1f + offset).ToArray();
        flat[3] = BitConverter.Int32BitsToSingle(0x7fa00001); // a NaN payload must survive
        return
        [
            new("encoder.blocks.0.attn.qkv.weight", [3, 4], flat.AsMemory(0, 12)),
            new("encoder.blocks.0.attn.qkv.bias", [3], flat.AsMemory(12, 3)),
            new("predictor.mask_token", [1, 1, 5], flat.AsMemory(15, 5)),
            new("target_encoder.norm.weight", [0], ReadOnlyMemory<float>.Empty),
            new(CheckpointKeys.AdamM("encoder.blocks.0.attn.qkv.bias"), [3], flat.AsMemory(20, 3)),
            new(CheckpointKeys.AdamV("encoder.blocks.0.attn.qkv.bias"), [7], flat.AsMemory(23, 7)),
        ];
    }

    static void AssertCorrupted(string path, string expected)
    {
        var e = Assert.Throws<DataException>(() => Checkpoint.Open(path).Dispose())!;
        Assert.That(e.Message, Does.StartWith($"{path}: checkpoint is truncated or corrupted: "));
        Assert.That(e.Message, Does.Contain(expected));
        Assert.That(e.Message, Does.Not.Contain('\n'));
    }

    [Test]
    public void Open_SavedCheckpoint_TensorsBitExactAndMetaEqual()
    {
        string path = File("c.safetensors");
        var tensors = Sample();
        Checkpoint.Save(path, Meta, tensors);

        using var reader = Checkpoint.Open(path);
        Assert.That(reader.FormatVersion, Is.EqualTo(1));
        Assert.That(reader.Meta with { Extra = Meta.Extra }, Is.EqualTo(Meta));
        Assert.That(reader.Meta.Extra, Is.EquivalentTo(Meta.Extra));
        Assert.That(reader.Tensors.Select(t => t.Name), Is.EqualTo(tensors.Select(t => t.Name)));
        foreach (var t in tensors)
        {
            Assert.That(reader.Info(t.Name).Shape, Is.EqualTo(t.Shape));
            var read = new float[t.Data.Length];
            reader.ReadInto(t.Name, t.Shape, read);
            Assert.That(MemoryMarshal.AsBytes(read.AsSpan()).ToArray(), Is.EqualTo(MemoryMarshal.AsBytes(t.Data.Span).ToArray()), t.Name);
        }
    }

    [Test]
    public void Save_SameInputTwice_SameBytes()
    {
        Checkpoint.Save(File("a.safetensors"), Meta, Sample());
        Checkpoint.Save(File("b.safetensors"), Meta, Sample());

        Assert.That(System.IO.File.ReadAllBytes(File("a.safetensors")), Is.EqualTo(System.IO.File.ReadAllBytes(File("b.safetensors"))));
    }

    [Test]
    public void Open_OneDataBitFlipped_Refused()
    {
        string path = File("c.safetensors");
        Checkpoint.Save(path, Meta, Sample());
        byte[] bytes = System.IO.File.ReadAllBytes(path);
        bytes[^17] ^= 0x04;
        System.IO.File.WriteAllBytes(path, bytes);

        AssertCorrupted(path, "the data's SHA-256 is ");
    }

    [Test]
    public void Open_OneMetadataBitFlipped_Refused()
    {
        string path = File("c.safetensors");
        Checkpoint.Save(path, Meta, Sample());
        byte[] bytes = System.IO.File.ReadAllBytes(path);
        int at = System.Text.Encoding.ASCII.GetString(bytes).IndexOf("\"step\":\"1234\"", StringComparison.Ordinal);
        Assert.That(at, Is.GreaterThan(0));
        bytes[at + 9] ^= 0x01; // "1234" -> "1334"
        System.IO.File.WriteAllBytes(path, bytes);

        AssertCorrupted(path, "the metadata's SHA-256 is ");
    }

    [Test]
    public void Open_Truncated_Refused()
    {
        string path = File("c.safetensors");
        Checkpoint.Save(path, Meta, Sample());
        using (var s = System.IO.File.OpenWrite(path)) s.SetLength(s.Length - 4);

        AssertCorrupted(path, "outside the");
    }

    [Test]
    public void Open_TruncatedInsideHeader_Refused()
    {
        string path = File("c.safetensors");
        Checkpoint.Save(path, Meta, Sample());
        using (var s = System.IO.File.OpenWrite(path)) s.SetLength(100);

        AssertCorrupted(path, "header length");
    }

    [Test]
    public void Open_PlainSafetensorsFile_RefusedAsNotACheckpoint()
    {
        string path = File("plain.safetensors");
        Crafted.Write(path, Crafted.OneTensor("F32", "[2]", 0, 8), new byte[8]);

        var e = Assert.Throws<DataException>(() => Checkpoint.Open(path))!;
        Assert.That(e.Message, Is.EqualTo($"{path}: not an ijepa-ort checkpoint (__metadata__ 'format' is not 'ijepa-ort.checkpoint')"));
    }

    [Test]
    public void Open_NewerFormatVersion_Refused()
    {
        string path = File("future.safetensors");
        Crafted.Write(path, """{"__metadata__":{"format":"ijepa-ort.checkpoint","format_version":"99"}}""", []);

        var e = Assert.Throws<DataException>(() => Checkpoint.Open(path))!;
        Assert.That(e.Message, Is.EqualTo($"{path}: checkpoint format version 99 is newer than this build reads (1)"));
    }

    [Test]
    public void Open_MetadataFieldMissing_Refused()
    {
        string path = File("nostep.safetensors");
        var metadata = new Dictionary<string, string> { ["format"] = "ijepa-ort.checkpoint", ["format_version"] = "1", ["epoch"] = "1" };
        string sha = CheckpointMeta.MetadataSha256(metadata);
        Crafted.Write(path, $$$"""{"__metadata__":{"format":"ijepa-ort.checkpoint","format_version":"1","epoch":"1","metadata_sha256":"{{{sha}}}"}}""", []);

        AssertCorrupted(path, "__metadata__ has no 'step'");
    }

    [Test]
    public void ReadInto_ShapeFromAnotherConfig_RefusedNamingBothShapes()
    {
        string path = File("c.safetensors");
        Checkpoint.Save(path, Meta, Sample());
        using var reader = Checkpoint.Open(path);

        var e = Assert.Throws<DataException>(() => reader.ReadInto("encoder.blocks.0.attn.qkv.weight", [4, 3], new float[12]))!;
        Assert.That(e.Message, Does.StartWith($"{path}: tensor 'encoder.blocks.0.attn.qkv.weight' has shape [3, 4], the model expects [4, 3]"));
    }

    [Test]
    public void Save_ShapeNotMatchingData_Throws()
    {
        Assert.That(() => Checkpoint.Save(File("c.safetensors"), Meta, [new("x", [2, 2], new float[3])]),
            Throws.ArgumentException.With.Message.Contains("'x'"));
    }

    [Test]
    public void Save_EnumeratorThrows_PreviousFileIntactNoTempLeft()
    {
        string path = File("c.safetensors");
        Checkpoint.Save(path, Meta, Sample());
        byte[] before = System.IO.File.ReadAllBytes(path);

        Assert.That(() => Checkpoint.Save(path, Meta with { Step = 9999 }, ThrowingAfter(Sample(1f), 3)),
            Throws.InvalidOperationException);

        Assert.That(System.IO.File.ReadAllBytes(path), Is.EqualTo(before));
        Assert.That(System.IO.File.Exists(path + ".tmp"), Is.False);
    }

    [Test]
    public void Save_DataFailsMidwayThroughWriting_PreviousFileIntactNoTempLeft()
    {
        string path = File("c.safetensors");
        Checkpoint.Save(path, Meta, Sample());
        byte[] before = System.IO.File.ReadAllBytes(path);
        var failing = new FailingOnSecondAccess(new float[4]);
        NamedTensor[] tensors = [.. Sample(1f)[..3], new("predictor.last", [4], failing.Memory)];

        Assert.That(() => Checkpoint.Save(path, Meta with { Step = 9999 }, tensors), Throws.InvalidOperationException);

        Assert.That(failing.Accesses, Is.EqualTo(2), "hashed once, then failed while writing after three tensors");
        Assert.That(System.IO.File.ReadAllBytes(path), Is.EqualTo(before));
        Assert.That(System.IO.File.Exists(path + ".tmp"), Is.False);
        using var reader = Checkpoint.Open(path);
        Assert.That(reader.Meta.Step, Is.EqualTo(1234));
    }

    [Test]
    public void Save_IoFailure_IJepaExceptionNamingFile()
    {
        string path = File("c.safetensors");
        Directory.CreateDirectory(path + ".tmp"); // the temporary name cannot be created as a file

        var e = Assert.Throws<IJepaException>(() => Checkpoint.Save(path, Meta, Sample()))!;
        Assert.That(e.Message, Does.StartWith($"{path}: cannot write: "));
        Assert.That(System.IO.File.Exists(path), Is.False);
    }

    [Test]
    public void Save_OverStaleTempFile_Succeeds()
    {
        string path = File("c.safetensors");
        System.IO.File.WriteAllText(path + ".tmp", "left by a crash");

        Checkpoint.Save(path, Meta, Sample());

        using var reader = Checkpoint.Open(path);
        Assert.That(System.IO.File.Exists(path + ".tmp"), Is.False);
    }

    static IEnumerable<NamedTensor> ThrowingAfter(IEnumerable<NamedTensor> tensors, int count)
    {
        foreach (var t in tensors.Take(count)) yield return t;
        throw new InvalidOperationException("simulated failure while producing tensors");
    }

    /// <summary>Memory whose second read fails, like a device-to-host copy failing after the checksum pass.</summary>
    sealed class FailingOnSecondAccess(float[] data) : MemoryManager<float>
    {
        public int Accesses { get; private set; }

        public override Span<float> GetSpan() =>
            ++Accesses >= 2 ? throw new InvalidOperationException("simulated failure while reading tensor data") : data;

        public override MemoryHandle Pin(int elementIndex = 0) => throw new NotSupportedException();
        public override void Unpin() { }
        protected override void Dispose(bool disposing) { }
    }
}
