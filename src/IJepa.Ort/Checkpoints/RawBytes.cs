// Views of element spans as bytes, in pieces small enough for MemoryMarshal.AsBytes (whose byte length
// is an int), so a tensor of any size is written or read in place with no extra copy.
using System.Runtime.InteropServices;

namespace IJepa.Ort.Checkpoints;

internal static class RawBytes
{
    /// <summary>At most 1 GiB per piece.</summary>
    const int MaxPieceBytes = 1 << 30;

    /// <summary>The format is little-endian; a big-endian host would need byte swaps we do not implement.</summary>
    public static void RequireLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("safetensors I/O needs a little-endian host");
    }

    public delegate void ReadOnlyPiece(ReadOnlySpan<byte> bytes);
    public delegate void Piece(Span<byte> bytes);

    public static void ForEachPiece<T>(ReadOnlySpan<T> data, ReadOnlyPiece action) where T : unmanaged
    {
        int step = MaxPieceBytes / System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        for (int i = 0; i < data.Length; i += step)
            action(MemoryMarshal.AsBytes(data.Slice(i, Math.Min(step, data.Length - i))));
    }

    public static void ForEachPiece<T>(Span<T> data, Piece action) where T : unmanaged
    {
        int step = MaxPieceBytes / System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        for (int i = 0; i < data.Length; i += step)
            action(MemoryMarshal.AsBytes(data.Slice(i, Math.Min(step, data.Length - i))));
    }
}
