// Fuzzing the readers of files a user hands us: safetensors, checkpoints and their metadata, IDX, CIFAR, YAML configs.
// Random and mutated inputs for a couple of seconds each: success or our one-line error, never a crash, a hang or an
// allocation driven by a length nobody checked.
using System.Text;
using IJepa.Ort.Checkpoints;
using IJepa.Ort.Config;
using IJepa.Ort.Data;
using IJepa.Ort.Import;
using IJepa.Ort.Tests.Import;
using IJepa.Ort.Tests.Checkpoints;
using IJepa.Ort.Tests.Config;

namespace IJepa.Ort.Tests.Fuzzing;

public class ReaderFuzzTests : TempFolderTest
{
    static byte[] ValidSafeTensors()
    {
        using var stream = new MemoryStream();
        var writer = new SafeTensorsWriter(stream,
            [new("a", SafeTensorDType.F32, [2, 3]), new("b", SafeTensorDType.I64, [2]), new("c", SafeTensorDType.U8, [5]), new("d", SafeTensorDType.F64, [])],
            new Dictionary<string, string> { ["k"] = "v", ["n"] = "12" });
        writer.Write([1f, 2, 3, 4, 5, 6]);
        writer.Write([7L, 8]);
        writer.WriteBytes([1, 2, 3, 4, 5]);
        writer.Write([9.5]);
        writer.Complete();
        return stream.ToArray();
    }

    /// <summary>Half the time a byte mutation; else the JSON header's text mutated and its length prefix made right again.</summary>
    static byte[] MutateSafeTensors(Fuzzer f, byte[] valid)
    {
        if (f.Rng.Next(2) == 0) return f.Mutate(valid);
        int headerLength = (int)BitConverter.ToUInt64(valid, 0);
        string header = Encoding.UTF8.GetString(valid, 8, headerLength);
        byte[] json = Fuzzer.Utf8(f.MutateText(header.Replace(",", ",\n")).Replace(",\n", ","));
        return [.. BitConverter.GetBytes((ulong)json.Length), .. json, .. valid.AsSpan(8 + headerLength)];
    }

    static void ReadEverything(SafeTensorsReader reader)
    {
        foreach (var t in reader.Tensors)
        {
            var bytes = new byte[t.ByteLength];
            reader.ReadBytesInto(t.Name, bytes);
            _ = t.DType switch
            {
                SafeTensorDType.F32 => reader.ReadF32(t.Name).Length,
                SafeTensorDType.F64 => reader.ReadF64(t.Name).Length,
                SafeTensorDType.I64 => reader.ReadI64(t.Name).Length,
                _ => reader.ReadU8(t.Name).Length,
            };
        }
    }

    [Test]
    public void SafeTensorsReader_MutatedFiles_AcceptOrOneLineError()
    {
        var valid = ValidSafeTensors();
        string path = File("fuzz.safetensors");
        Fuzzer.Run(1, f => MutateSafeTensors(f, valid), bytes =>
        {
            System.IO.File.WriteAllBytes(path, bytes);
            using var reader = SafeTensorsReader.Open(path);
            ReadEverything(reader);
        }, Fuzzer.Hex);
    }

    [Test]
    public void CheckpointOpen_MutatedCheckpoints_AcceptOrOneLineError()
    {
        string source = File("valid.safetensors");
        Checkpoint.Save(source, new CheckpointMeta { Step = 12, Epoch = 2, Seed = 3, ConfigYaml = "meta:\n  x: 1\n", PresetHash = "abc",
            Extra = new Dictionary<string, string> { ["preset"] = "p" } },
            [new("encoder.norm.weight", [3], new[] { 1f, 2, 3 }), new("predictor.mask_token", [1, 1, 2], new[] { 4f, 5 })]);
        var valid = System.IO.File.ReadAllBytes(source);
        string path = File("fuzz.safetensors");
        Fuzzer.Run(2, f => MutateSafeTensors(f, valid), bytes =>
        {
            System.IO.File.WriteAllBytes(path, bytes);
            using var reader = Checkpoint.Open(path);
            foreach (var t in reader.Tensors) reader.Read(t.Name);
        }, Fuzzer.Hex);
    }

    [Test]
    public void CheckpointMetaFromMetadata_MutatedEntries_AcceptOrOneLineError()
    {
        var valid = new CheckpointMeta { Step = 12, Epoch = 2, Seed = 3, ConfigYaml = "a: 1", PresetHash = "abc" }.ToMetadata("00");
        string[] keys = [.. valid.Keys, "extra.x", "", "step "];
        Fuzzer.Run(3, f =>
        {
            var m = new Dictionary<string, string>(valid);
            for (int n = f.Rng.Next(1, 4); n > 0; n--)
            {
                string key = keys[f.Rng.Next(keys.Length)];
                if (f.Rng.Next(4) == 0) m.Remove(key);
                else m[key] = f.MutateText(m.TryGetValue(key, out var v) ? v : "0");
            }
            return m;
        }, m => CheckpointMeta.FromMetadata(m, problem => IJepa.Ort.Errors.DataException.At("fuzz", problem)),
           m => Fuzzer.Quote(string.Join(";", m.Select(kv => $"{kv.Key}={kv.Value}"))));
    }

    static byte[] Idx(int[] dims, int fill)
    {
        using var stream = new MemoryStream();
        IdxArray.Write(stream, dims, Enumerable.Range(0, dims.Aggregate(1, (a, b) => a * b)).Select(i => (byte)(i * fill)).ToArray());
        return stream.ToArray();
    }

    [Test]
    public void IdxDataset_MutatedFilePairs_AcceptOrOneLineError()
    {
        var images = Idx([4, 3, 5], 7);
        var labels = Idx([4], 3);
        string imagesPath = File("train-images-idx3-ubyte"), labelsPath = File("train-labels-idx1-ubyte");
        Fuzzer.Run(4, f => (Images: f.Rng.Next(3) > 0 ? f.Mutate(images) : images, Labels: f.Rng.Next(3) > 0 ? f.Mutate(labels) : labels), pair =>
        {
            System.IO.File.WriteAllBytes(imagesPath, pair.Images);
            System.IO.File.WriteAllBytes(labelsPath, pair.Labels);
            var dataset = new IdxDataset(imagesPath, labelsPath, ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"]);
            var buffer = new ImageBuffer();
            for (int i = 0; i < dataset.Count; i++)
            {
                dataset.TryLoad(i, buffer);
                dataset.Label(i);
            }
        }, pair => $"images {Fuzzer.Hex(pair.Images)}, labels {Fuzzer.Hex(pair.Labels)}");
    }

    [Test]
    public void CifarDataset_MutatedBatches_AcceptOrOneLineError()
    {
        var rng = new Random(5);
        var valid = new byte[3 * 3073];
        rng.NextBytes(valid);
        for (int r = 0; r < 3; r++) valid[r * 3073] = (byte)(r % 10);
        string dir = File("cifar-10-batches-bin");
        Directory.CreateDirectory(dir);
        Fuzzer.Run(5, f => f.Mutate(valid), bytes =>
        {
            System.IO.File.WriteAllBytes(Path.Combine(dir, "test_batch.bin"), bytes);
            var dataset = CifarDataset.Open(Folder, DataSplit.Test);
            var buffer = new ImageBuffer();
            for (int i = 0; i < dataset.Count; i++)
            {
                dataset.TryLoad(i, buffer);
                dataset.Label(i);
            }
        }, Fuzzer.Hex, allocationLimit: 1 << 20);
    }

    [Test]
    public void ConfigLoader_MutatedPresets_AcceptOrOneLineError()
    {
        var presets = Directory.GetFiles(Presets.ModelsDir, "*.yaml").Order().Select(System.IO.File.ReadAllText).ToArray();
        Fuzzer.Run(6, f => f.Rng.Next(50) == 0 ? Encoding.Latin1.GetString(f.RandomBytes(f.Rng.Next(80))) : f.MutateText(presets[f.Rng.Next(presets.Length)]), text =>
        {
            var config = ConfigLoader.Parse(text, "fuzz.yaml");
            config.Masking();
            config.IterationsPerEpoch(60_000);
            // What was accepted writes back and reads again.
            ConfigLoader.Parse(ConfigWriter.Write(config), "fuzz-written.yaml");
        }, Fuzzer.Quote);
    }

    /// <summary>A small torch.save zip: an ijepa-like dict of state dicts holding strided float tensors.</summary>
    byte[] ValidTorchZip()
    {
        string path = File("valid.pth.tar");
        var encoder = new PickledOrderedDict([new("w", PickledTensor.Contiguous([1f, 2, 3, 4, 5, 6], 2, 3)), new("b", PickledTensor.Contiguous([7f, 8], 2))]);
        var predictor = new PickledOrderedDict([new("t", new PickledTensor([1f, 2, 3, 4], 1, [3], [1]))], WithMetadata: false);
        TorchZipWriter.Write(path, new Dictionary<string, object?> { ["encoder"] = encoder, ["predictor"] = predictor, ["epoch"] = 3L, ["lr"] = 0.5 });
        return System.IO.File.ReadAllBytes(path);
    }

    static IEnumerable<TorchTensor> TensorsIn(object? value, int depth = 0) => depth > 64 ? [] : value switch
    {
        TorchTensor t => [t],
        PickleDict d => d.Items.SelectMany(kv => TensorsIn(kv.Value, depth + 1)),
        IEnumerable<object?> items => items.SelectMany(v => TensorsIn(v, depth + 1)),
        _ => [],
    };

    [Test]
    public void RestrictedUnpickler_MutatedPickles_AcceptOrOneLineError()
    {
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(ValidTorchZip()));
        using var entry = zip.GetEntry("archive/data.pkl")!.Open();
        var pickle = new MemoryStream();
        entry.CopyTo(pickle);
        var valid = pickle.ToArray();
        Fuzzer.Run(7, f => f.Mutate(valid), bytes => RestrictedUnpickler.Load(bytes, "fuzz.pkl"), Fuzzer.Hex);
    }

    [Test]
    public void TorchCheckpointFile_MutatedZips_AcceptOrOneLineError()
    {
        var valid = ValidTorchZip();
        string path = File("fuzz.pth.tar");
        Fuzzer.Run(8, f => f.Mutate(valid), bytes =>
        {
            System.IO.File.WriteAllBytes(path, bytes);
            using var file = TorchCheckpointFile.Open(path);
            foreach (var t in TensorsIn(file.Root).Where(t => t.Count is >= 0 and <= 1 << 16))
                file.ReadFloats(t, new float[t.Count]);
        }, Fuzzer.Hex);
    }
}
