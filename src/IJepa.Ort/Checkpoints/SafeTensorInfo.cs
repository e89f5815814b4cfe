// One entry of a safetensors header: where a tensor's bytes lie in the data region and how to read them.
namespace IJepa.Ort.Checkpoints;

/// <summary>A tensor's header entry. <see cref="Begin"/> and <see cref="End"/> are byte offsets into the
/// data region (which starts right after the header), as in the format's <c>data_offsets</c>.</summary>
public sealed record SafeTensorInfo(string Name, SafeTensorDType DType, long[] Shape, long Begin, long End)
{
    public long ElementCount => ShapeText.ElementCount(Shape);
    public long ByteLength => End - Begin;
    public override string ToString() => $"{Name}: {DType} {ShapeText.Format(Shape)}";
}

/// <summary>Shape arithmetic and formatting shared by the reader, the writer and their messages.</summary>
internal static class ShapeText
{
    /// <summary>Product of the dimensions; throws <see cref="OverflowException"/> past long.</summary>
    public static long ElementCount(ReadOnlySpan<long> shape)
    {
        long n = 1;
        foreach (long d in shape) n = checked(n * d);
        return n;
    }

    public static string Format(ReadOnlySpan<long> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";

    /// <summary>A tensor name as it appears in a one-line message: quoted, control characters escaped.</summary>
    public static string Quote(string name)
    {
        var sb = new System.Text.StringBuilder(name.Length + 2).Append('\'');
        foreach (char c in name)
        {
            if (char.IsControl(c)) sb.Append("\\u").Append(((int)c).ToString("x4"));
            else sb.Append(c);
        }
        return sb.Append('\'').ToString();
    }
}
