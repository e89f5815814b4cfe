// An upstream `.pth.tar` (torch.save's zip format, torch >= 1.6): "<archive>/data.pkl" read with the RestrictedUnpickler,
// tensors' bytes in "<archive>/data/<storage key>" (stored little-endian), read only when a tensor is asked for.
using System.IO.Compression;
using System.Runtime.InteropServices;
using IJepa.Ort.Errors;

namespace IJepa.Ort.Import;

public sealed class TorchCheckpointFile : IDisposable
{
    private readonly ZipArchive _zip;
    private readonly string _prefix;

    public string Path { get; }
    /// <summary>The unpickled object: for an ijepa checkpoint a dict with encoder, predictor, target_encoder, opt, epoch, ...</summary>
    public object? Root { get; }

    private TorchCheckpointFile(string path, ZipArchive zip, string prefix, object? root) => (Path, _zip, _prefix, Root) = (path, zip, prefix, root);

    public static TorchCheckpointFile Open(string path)
    {
        if (!File.Exists(path)) throw DataException.At(path, "checkpoint file not found");
        ZipArchive zip;
        try { zip = ZipFile.OpenRead(path); }
        catch (InvalidDataException) { throw DataException.At(path, "not a torch zip checkpoint (torch.save of torch >= 1.6); the legacy tar format is not read"); }
        try
        {
            var pickle = zip.Entries.FirstOrDefault(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal) && e.FullName.Count(c => c == '/') == 1)
                         ?? throw DataException.At(path, "zip has no <archive>/data.pkl: not a torch checkpoint");
            var prefix = pickle.FullName[..(pickle.FullName.Length - "data.pkl".Length)];
            var order = zip.GetEntry(prefix + "byteorder");
            if (order is not null)
            {
                using var reader = new StreamReader(order.Open());
                if (reader.ReadToEnd().Trim() != "little") throw DataException.At(path, "big-endian torch checkpoints are not read");
            }
            var bytes = new byte[PlausibleLength(pickle, path)];
            using (var s = pickle.Open()) s.ReadExactly(bytes);
            return new TorchCheckpointFile(path, zip, prefix, RestrictedUnpickler.Load(bytes, path + " (" + pickle.FullName + ")"));
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            zip.Dispose();
            throw DataException.At(path, $"damaged zip ({OsError.Describe(e)})");   // ZipArchive reads entries lazily
        }
        catch
        {
            zip.Dispose();  // the failure propagates; the handle must not leak
            throw;
        }
    }

    /// <summary>Reads <paramref name="tensor"/> as float32 (float16, bfloat16 and float64 converted) into <paramref name="into"/>.</summary>
    public void ReadFloats(TorchTensor tensor, Span<float> into)
    {
        var storage = tensor.Storage;
        if (into.Length != tensor.Count) throw new ArgumentException($"destination holds {into.Length} values, the tensor {tensor.Count}");
        if (storage.DType is not (TorchDType.Float32 or TorchDType.Float16 or TorchDType.BFloat16 or TorchDType.Float64))
            throw DataException.At(Path, $"storage {storage.Key} holds {storage.DType}, not floating point");
        var entry = _zip.GetEntry(_prefix + "data/" + storage.Key) ?? throw DataException.At(Path, $"zip has no {_prefix}data/{storage.Key}");
        int size = storage.DType.Size();
        if (entry.Length != storage.Numel * size) throw DataException.At(Path, $"{entry.FullName}: {entry.Length} bytes, expected {storage.Numel} x {size}");
        var raw = new byte[PlausibleLength(entry, Path)];   // = numel × size, checked above against the zip's own record
        try
        {
            using var s = entry.Open();
            s.ReadExactly(raw);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw DataException.At(Path, $"{entry.FullName}: damaged zip entry ({OsError.Describe(e)})");
        }
        long last = tensor.Offset + tensor.Shape.Select((d, i) => (d - 1) * tensor.Stride[i]).Sum();
        if (tensor.Count > 0 && (tensor.Offset < 0 || last >= storage.Numel)) throw DataException.At(Path, $"a view of storage {storage.Key} reaches past its {storage.Numel} elements");

        // Visit the view's elements in row-major order (a plain copy when it is contiguous).
        var index = new long[tensor.Shape.Length];
        long at = tensor.Offset;
        for (long i = 0; i < tensor.Count; i++)
        {
            into[(int)i] = Element(raw, at, storage.DType);
            for (int d = index.Length - 1; d >= 0; d--)
            {
                at += tensor.Stride[d];
                if (++index[d] < tensor.Shape[d]) break;
                at -= tensor.Stride[d] * tensor.Shape[d];
                index[d] = 0;
            }
        }
    }

    private static float Element(byte[] raw, long at, TorchDType dtype) => dtype switch
    {
        TorchDType.Float32 => MemoryMarshal.Read<float>(raw.AsSpan((int)(at * 4), 4)),
        TorchDType.Float64 => (float)MemoryMarshal.Read<double>(raw.AsSpan((int)(at * 8), 8)),
        TorchDType.Float16 => (float)MemoryMarshal.Read<Half>(raw.AsSpan((int)(at * 2), 2)),
        _ => BitConverter.Int32BitsToSingle(MemoryMarshal.Read<ushort>(raw.AsSpan((int)(at * 2), 2)) << 16),   // bfloat16
    };

    /// <summary>An entry's size as its header states it, refused before any allocation when the file cannot hold it:
    /// stored entries (torch.save's) must fit in the file, compressed ones within deflate's ratio (1032:1).</summary>
    private static int PlausibleLength(ZipArchiveEntry entry, string path)
    {
        long fileLength = new FileInfo(path).Length;
        long limit = Math.Min(Array.MaxLength, entry.Length == entry.CompressedLength ? fileLength : entry.CompressedLength * 1032 + 1024);
        if (entry.Length < 0 || entry.Length > limit || entry.CompressedLength > fileLength)
            throw DataException.At(path, $"{entry.FullName}: a size of {entry.Length} bytes that the {fileLength}-byte file cannot hold (damaged zip)");
        return (int)entry.Length;
    }

    public void Dispose() => _zip.Dispose();
}
