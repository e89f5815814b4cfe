// The height and width of a mask block, in patches.
namespace IJepa.Ort.Masks;

/// <summary>A block's size in patches (rows × columns).</summary>
public readonly record struct BlockSize(int Height, int Width)
{
    public int Area => Height * Width;

    public override string ToString() => $"{Height}x{Width}";
}
