// Training checkpoints (docs/architecture.md §3): one safetensors file holding encoder, predictor, target encoder and
// Adam moments under the names in CheckpointKeys, with CheckpointMeta and SHA-256s of the data region and of
// the other metadata in __metadata__. Saved atomically; verified in full when opened.
using System.Globalization;
using System.Security.Cryptography;
using IJepa.Ort.Errors;

namespace IJepa.Ort.Checkpoints;

public static class Checkpoint
{
    const string Corrupted = "checkpoint is truncated or corrupted";

    /// <summary>
    /// Writes <paramref name="tensors"/> (float32, in the given order) and <paramref name="meta"/> to
    /// "<paramref name="path"/>.tmp", flushes it to disk and renames it over <paramref name="path"/>: a failure
    /// at any point leaves the previous file as it was. Data is hashed, then streamed from the callers'
    /// memory; nothing is copied. Same input, same bytes.
    /// </summary>
    public static void Save(string path, CheckpointMeta meta, IEnumerable<NamedTensor> tensors)
    {
        var list = tensors.ToList();
        var specs = new SafeTensorSpec[list.Count];
        for (int i = 0; i < list.Count; i++)
        {
            var t = list[i];
            if (t.Shape.Any(d => d < 0) || ShapeText.ElementCount(t.Shape) != t.Data.Length)
                throw new ArgumentException($"tensor {ShapeText.Quote(t.Name)}: shape {ShapeText.Format(t.Shape)} does not hold {t.Data.Length} values");
            specs[i] = new SafeTensorSpec(t.Name, SafeTensorDType.F32, t.Shape);
        }
        var metadata = meta.ToMetadata(Convert.ToHexStringLower(DataSha256(list)));
        AtomicFile.Write(path, stream =>
        {
            var writer = new SafeTensorsWriter(stream, specs, metadata);
            foreach (var t in list) writer.Write(t.Data.Span);
            writer.Complete();
        });
    }

    /// <summary>The bytes the data region will hold, hashed in order.</summary>
    static byte[] DataSha256(List<NamedTensor> tensors)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var t in tensors) RawBytes.ForEachPiece(t.Data.Span, hash.AppendData);
        return hash.GetHashAndReset();
    }

    /// <summary>
    /// Opens and verifies a checkpoint: the safetensors layout, the metadata and its SHA-256, float32 tensors,
    /// and the data region's SHA-256 (which reads the whole file once, in 1 MiB pieces). A damaged file is a
    /// <see cref="DataException"/> "&lt;path&gt;: checkpoint is truncated or corrupted: ...", never a reader.
    /// </summary>
    public static CheckpointReader Open(string path)
    {
        var file = SafeTensorsReader.Open(path, Corrupted);
        try
        {
            var m = file.Metadata;
            if (!m.TryGetValue(CheckpointMeta.FormatKey, out var format) || format != CheckpointMeta.Format)
                throw DataException.At(path, $"not an ijepa-ort checkpoint (__metadata__ '{CheckpointMeta.FormatKey}' is not '{CheckpointMeta.Format}')");
            if (!m.TryGetValue(CheckpointMeta.VersionKey, out var versionText)
                || !int.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out int version))
                throw DataException.At(path, $"{Corrupted}: __metadata__ '{CheckpointMeta.VersionKey}' missing or not an integer");
            if (version > CheckpointMeta.CurrentFormatVersion)
                throw DataException.At(path, $"checkpoint format version {version} is newer than this build reads ({CheckpointMeta.CurrentFormatVersion})");
            string storedMeta = m.TryGetValue(CheckpointMeta.MetadataSha256Key, out var sm) ? sm : "(none)";
            string actualMeta = CheckpointMeta.MetadataSha256(m);
            if (!string.Equals(storedMeta, actualMeta, StringComparison.OrdinalIgnoreCase))
                throw DataException.At(path, $"{Corrupted}: the metadata's SHA-256 is {actualMeta}, the header records {storedMeta}");
            var meta = CheckpointMeta.FromMetadata(m, problem => DataException.At(path, $"{Corrupted}: {problem}"));
            foreach (var t in file.Tensors)
                if (t.DType != SafeTensorDType.F32)
                    throw DataException.At(path, $"{Corrupted}: tensor {ShapeText.Quote(t.Name)} is {t.DType}, checkpoints hold F32");
            string stored = m.TryGetValue(CheckpointMeta.DataSha256Key, out var s) ? s : "(none)";
            string actual = Convert.ToHexStringLower(file.DataSha256());
            if (!string.Equals(stored, actual, StringComparison.OrdinalIgnoreCase))
                throw DataException.At(path, $"{Corrupted}: the data's SHA-256 is {actual}, the header records {stored}");
            return new CheckpointReader(file, meta, version);
        }
        catch
        {
            file.Dispose(); // the failure propagates; the handle must not leak
            throw;
        }
    }
}
