// Safetensors reader: validates the whole header when opened, then reads one tensor at a time straight into
// the caller's memory with positional reads, so memory use follows what is asked for, not the file size.
using System.Security.Cryptography;
using IJepa.Ort.Errors;
using Microsoft.Win32.SafeHandles;

namespace IJepa.Ort.Checkpoints;

/// <summary>
/// An open safetensors file. <see cref="Open(string)"/> checks the header length against the file size,
/// the JSON, every entry's dtype, shape and offsets, and that the tensors tile the data region exactly
/// (no overlap, no hole); any failure is a <see cref="DataException"/> naming the file and the tensor or
/// field at fault, in one line. Reads are positional, so one reader may serve several threads.
/// </summary>
public sealed partial class SafeTensorsReader : IDisposable
{
    /// <summary>Largest header accepted, as in the reference implementation (100 MB).</summary>
    public const long MaxHeaderLength = 100_000_000;

    readonly SafeFileHandle file;
    readonly Dictionary<string, SafeTensorInfo> byName;

    public string Path { get; }
    /// <summary>The header's <c>__metadata__</c> (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }
    /// <summary>All tensors, in data-region order.</summary>
    public IReadOnlyList<SafeTensorInfo> Tensors { get; }
    /// <summary>File offset of the data region (8 + header length).</summary>
    public long DataStart { get; }
    public long DataLength { get; }

    SafeTensorsReader(string path, SafeFileHandle file, Header header, long dataStart, long dataLength)
    {
        Path = path;
        this.file = file;
        Metadata = header.Metadata;
        Tensors = header.Tensors;
        byName = header.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        DataStart = dataStart;
        DataLength = dataLength;
    }

    public static SafeTensorsReader Open(string path) => Open(path, "not a valid safetensors file");

    /// <param name="invalid">Prefix of structural errors, e.g. "checkpoint is truncated or corrupted".</param>
    internal static SafeTensorsReader Open(string path, string invalid)
    {
        RawBytes.RequireLittleEndian();
        SafeFileHandle handle;
        // FileShare.Delete: a save may rename a new checkpoint over this one while it is being read.
        try { handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        { throw new DataException($"{path}: cannot open: {OsError.Describe(e)}", e); }
        try
        {
            long fileLength = RandomAccess.GetLength(handle);
            if (fileLength < 8)
                throw DataException.At(path, $"{invalid}: {fileLength} bytes, shorter than the 8-byte header length");
            Span<byte> prefix = stackalloc byte[8];
            ReadExactly(handle, prefix, 0, path, "the header length");
            ulong n = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(prefix);
            if (n > (ulong)(fileLength - 8))
                throw DataException.At(path, $"{invalid}: header length {n} exceeds the {fileLength - 8} bytes after it");
            if (n > MaxHeaderLength)
                throw DataException.At(path, $"{invalid}: header length {n} exceeds the {MaxHeaderLength}-byte limit");
            var json = new byte[n];
            ReadExactly(handle, json, 8, path, "the header");
            long dataStart = 8 + (long)n, dataLength = fileLength - dataStart;
            var header = Header.Parse(json, dataLength, problem => DataException.At(path, $"{invalid}: {problem}"));
            return new SafeTensorsReader(path, handle, header, dataStart, dataLength);
        }
        catch
        {
            handle.Dispose(); // the exception propagates unchanged; only the handle must not leak
            throw;
        }
    }

    public bool Contains(string name) => byName.ContainsKey(name);

    /// <summary>The header entry of <paramref name="name"/>; a missing tensor is a <see cref="DataException"/>.</summary>
    public SafeTensorInfo Info(string name) =>
        byName.TryGetValue(name, out var info) ? info
            : throw DataException.At(Path, $"tensor {ShapeText.Quote(name)} not found ({byName.Count} tensors in the file)");

    public void ReadInto(string name, Span<float> destination) => ReadTyped(name, destination);
    public void ReadInto(string name, Span<double> destination) => ReadTyped(name, destination);
    public void ReadInto(string name, Span<long> destination) => ReadTyped(name, destination);
    public void ReadInto(string name, Span<byte> destination) => ReadTyped(name, destination);

    public float[] ReadF32(string name) => ReadArray<float>(name);
    public double[] ReadF64(string name) => ReadArray<double>(name);
    public long[] ReadI64(string name) => ReadArray<long>(name);
    public byte[] ReadU8(string name) => ReadArray<byte>(name);

    /// <summary>A tensor's raw little-endian bytes, whatever its dtype.</summary>
    public void ReadBytesInto(string name, Span<byte> destination)
    {
        var info = Info(name);
        if (destination.Length != info.ByteLength)
            throw DataException.At(Path, $"tensor {ShapeText.Quote(name)} has {info.ByteLength} bytes, the destination holds {destination.Length}");
        ReadExactly(file, destination, DataStart + info.Begin, Path, $"tensor {ShapeText.Quote(name)}");
    }

    T[] ReadArray<T>(string name) where T : unmanaged
    {
        var info = Require<T>(name);
        var result = new T[info.ElementCount];
        ReadTyped<T>(name, result);
        return result;
    }

    void ReadTyped<T>(string name, Span<T> destination) where T : unmanaged
    {
        var info = Require<T>(name);
        if (destination.Length != info.ElementCount)
            throw DataException.At(Path, $"tensor {ShapeText.Quote(name)} {info.DType} {ShapeText.Format(info.Shape)} " +
                                         $"has {info.ElementCount} elements, the destination holds {destination.Length}");
        long offset = DataStart + info.Begin;
        RawBytes.ForEachPiece(destination, bytes =>
        {
            ReadExactly(file, bytes, offset, Path, $"tensor {ShapeText.Quote(name)}");
            offset += bytes.Length;
        });
    }

    SafeTensorInfo Require<T>(string name) where T : unmanaged
    {
        var info = Info(name);
        var want = SafeTensorDTypes.Of<T>();
        if (info.DType != want)
            throw DataException.At(Path, $"tensor {ShapeText.Quote(name)} is {info.DType}, expected {want}");
        return info;
    }

    /// <summary>SHA-256 of the whole data region, streamed through a 1 MiB buffer.</summary>
    internal byte[] DataSha256()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        for (long done = 0; done < DataLength;)
        {
            var piece = buffer.AsSpan(0, (int)Math.Min(buffer.Length, DataLength - done));
            ReadExactly(file, piece, DataStart + done, Path, "the data region");
            hash.AppendData(piece);
            done += piece.Length;
        }
        return hash.GetHashAndReset();
    }

    static void ReadExactly(SafeFileHandle handle, Span<byte> into, long offset, string path, string what)
    {
        while (!into.IsEmpty)
        {
            int n;
            try { n = RandomAccess.Read(handle, into, offset); }
            catch (IOException e) { throw new DataException($"{path}: cannot read {what}: {OsError.Describe(e)}", e); }
            if (n == 0) throw DataException.At(path, $"file ends at byte {offset} inside {what} (truncated while open?)");
            into = into[n..];
            offset += n;
        }
    }

    public void Dispose() => file.Dispose();
}
