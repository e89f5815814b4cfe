// Reading and writing the IDX format of (Fashion-)MNIST: a big-endian header (magic 0x0000TTNN: type TT,
// NN dimensions), NN big-endian int32 sizes, then the data. Only unsigned bytes (type 0x08) are used.
using System.Buffers.Binary;
using System.IO.Compression;
using IJepa.Ort.Errors;

namespace IJepa.Ort.Data;

/// <summary>An IDX file of unsigned bytes held in memory: its dimensions and its data.</summary>
public sealed class IdxArray(int[] dims, ReadOnlyMemory<byte> data)
{
    public const int UnsignedByte = 0x08;

    public int[] Dims { get; } = dims;

    /// <summary>The values after the header, row-major over <see cref="Dims"/>.</summary>
    public ReadOnlyMemory<byte> Data { get; } = data;

    /// <summary>Reads and validates a file (plain or .gz): magic, dimension count, and exact length.</summary>
    public static IdxArray Read(string path, int expectedRank)
    {
        byte[] bytes;
        try
        {
            bytes = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? ReadGzip(path) : File.ReadAllBytes(path);
        }
        catch (FileNotFoundException) { throw DataException.At(path, "file not found"); }
        catch (DirectoryNotFoundException) { throw DataException.At(path, "file not found"); }
        catch (InvalidDataException e) { throw DataException.At(path, $"not a valid gzip file ({e.Message})"); }
        catch (IOException e) { throw DataException.At(path, $"cannot read: {OsError.Describe(e)}"); }
        return Parse(bytes, path, expectedRank);
    }

    /// <summary>Parses IDX bytes; <paramref name="path"/> names the file in errors.</summary>
    public static IdxArray Parse(byte[] bytes, string path, int expectedRank)
    {
        if (bytes.Length < 4) throw DataException.At(path, $"truncated: {bytes.Length} bytes, no IDX header");
        uint magic = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        int type = (int)(magic >> 8) & 0xFF, rank = (int)(magic & 0xFF);
        if ((magic >> 16) != 0 || type != UnsignedByte || rank != expectedRank)
            throw DataException.At(path, $"bad IDX magic 0x{magic:X8} (expected 0x{(UnsignedByte << 8) | expectedRank:X8}: unsigned bytes, {expectedRank} dimensions)");
        int header = 4 + 4 * rank;
        if (bytes.Length < header) throw DataException.At(path, $"truncated: {bytes.Length} bytes, header needs {header}");
        var dims = new int[rank];
        long size = 1;
        for (int d = 0; d < rank; d++)
        {
            dims[d] = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * d));
            if (dims[d] <= 0) throw DataException.At(path, $"dimension {d} is {dims[d]}");
            size *= dims[d];
        }
        long expected = header + size;
        if (bytes.Length < expected)
            throw DataException.At(path, $"truncated: {bytes.Length} bytes, header [{string.Join(", ", dims)}] needs {expected}");
        if (bytes.Length > expected)
            throw DataException.At(path, $"{bytes.Length - expected} unexpected bytes after the data (header [{string.Join(", ", dims)}] needs {expected})");
        return new IdxArray(dims, bytes.AsMemory(header));
    }

    /// <summary>Writes an unsigned-byte IDX file.</summary>
    public static void Write(Stream stream, ReadOnlySpan<int> dims, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(word, (uint)((UnsignedByte << 8) | dims.Length));
        stream.Write(word);
        long size = 1;
        foreach (int d in dims)
        {
            BinaryPrimitives.WriteInt32BigEndian(word, d);
            stream.Write(word);
            size *= d;
        }
        if (size != data.Length) throw new ArgumentException($"IDX data has {data.Length} bytes, dims need {size}");
        stream.Write(data);
    }

    private static byte[] ReadGzip(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        return memory.ToArray();
    }
}
