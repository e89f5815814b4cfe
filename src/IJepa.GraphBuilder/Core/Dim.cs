// One dimension of a tensor shape: a known size or a named symbol (batch, mask lengths).
namespace IJepa.GraphBuilder.Core;

/// <summary>A known size (<see cref="Size"/> ≥ 0) or a symbolic one (<see cref="Symbol"/>).</summary>
public readonly record struct Dim
{
    public long Size { get; }
    public string? Symbol { get; }

    private Dim(long size, string? symbol) { Size = size; Symbol = symbol; }

    public static Dim Of(long size) => size >= 0 ? new(size, null) : throw new ArgumentOutOfRangeException(nameof(size));
    public static Dim Sym(string symbol) => new(-1, symbol ?? throw new ArgumentNullException(nameof(symbol)));

    public bool IsKnown => Symbol is null;
    public bool IsOne => IsKnown && Size == 1;

    public static implicit operator Dim(long size) => Of(size);
    public static implicit operator Dim(int size) => Of(size);

    /// <summary>The product of two dims; symbolic when either is, in a canonical form ("4*B", "B*Nc").</summary>
    public static Dim operator *(Dim a, Dim b)
    {
        if (a.IsKnown && b.IsKnown) return Of(a.Size * b.Size);
        var (ca, sa) = a.Factors();
        var (cb, sb) = b.Factors();
        long coefficient = ca * cb;
        var symbols = sa.Concat(sb).Order(StringComparer.Ordinal).ToList();
        if (symbols.Count == 0) return Of(coefficient);
        if (coefficient != 1) symbols.Insert(0, coefficient.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Sym(string.Join("*", symbols));
    }

    /// <summary>A numeric coefficient and the symbol factors of a product dim.</summary>
    private (long Coefficient, List<string> Symbols) Factors()
    {
        if (IsKnown) return (Size, []);
        if (Symbol!.Contains('+')) return (1, [$"({Symbol})"]);
        long c = 1;
        var symbols = new List<string>();
        foreach (var f in Symbol.Split('*'))
            if (long.TryParse(f, System.Globalization.CultureInfo.InvariantCulture, out long v)) c *= v; else symbols.Add(f);
        return (c, symbols);
    }

    public override string ToString() => Symbol ?? Size.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

public static class Shape
{
    public static string Format(IReadOnlyList<Dim> shape) => "[" + string.Join(", ", shape) + "]";

    public static Dim Product(IEnumerable<Dim> dims) => dims.Aggregate(Dim.Of(1), (a, b) => a * b);

    /// <summary>The sum of dims (concatenation); symbolic when any is.</summary>
    public static Dim Sum(IEnumerable<Dim> dims)
    {
        var list = dims.ToList();
        return list.All(d => d.IsKnown) ? Dim.Of(list.Sum(d => d.Size)) : Dim.Sym(string.Join("+", list));
    }

    public static bool SameAs(IReadOnlyList<Dim> a, IReadOnlyList<Dim> b) => a.Count == b.Count && a.Zip(b).All(p => p.First == p.Second);

    /// <summary>Numpy-style broadcast of two shapes; a known 1 stretches to anything.</summary>
    public static Dim[] Broadcast(IReadOnlyList<Dim> a, IReadOnlyList<Dim> b)
    {
        int rank = Math.Max(a.Count, b.Count);
        var result = new Dim[rank];
        for (int i = 0; i < rank; i++)
        {
            int ia = i - (rank - a.Count), ib = i - (rank - b.Count);
            Dim? da = ia >= 0 ? a[ia] : (Dim?)null, db = ib >= 0 ? b[ib] : (Dim?)null;
            if (da is null) result[i] = db!.Value;
            else if (db is null) result[i] = da.Value;
            else if (da.Value.IsOne) result[i] = db.Value;
            else if (db.Value.IsOne || da.Value == db.Value) result[i] = da.Value;
            else throw new InvalidOperationException($"shapes {Format(a)} and {Format(b)} do not broadcast");
        }
        return result;
    }

    /// <summary>Normalises a possibly negative axis against a rank.</summary>
    public static int Axis(int axis, int rank) =>
        axis >= -rank && axis < rank ? (axis + rank) % rank : throw new ArgumentOutOfRangeException(nameof(axis), $"axis {axis} out of range for rank {rank}");
}
