// A model parameter: a graph input named by its official ijepa state-dict key, with its init rule.
namespace IJepa.GraphBuilder.Core;

/// <summary>How a parameter is initialised (facebookresearch/ijepa `_init_weights` and `fix_init_weight`).</summary>
public sealed record InitRule(string Kind, double Std = 0, double Scale = 1)
{
    /// <summary>trunc_normal_(std, a=-2, b=2) — absolute bounds, as upstream — then multiplied by <see cref="Scale"/>.</summary>
    public static InitRule TruncNormal(double std = 0.02, double scale = 1) => new("trunc_normal", std, scale);
    public static readonly InitRule Zeros = new("zeros");
    public static readonly InitRule Ones = new("ones");
    /// <summary>The fixed 2-D sin-cos position table (not trained).</summary>
    public static readonly InitRule SinCos2D = new("sincos2d");
}

public sealed record Parameter(Value Value, InitRule Init, bool Trainable)
{
    public string Name => Value.Name;
    public Dim[] Shape => Value.Shape;
    public long[] Dims => Value.Shape.Select(d => d.IsKnown ? d.Size : throw new InvalidOperationException($"parameter {Name} has a symbolic shape")).ToArray();
    public long Count => Dims.Aggregate(1L, (a, b) => a * b);

    /// <summary>Upstream's AdamW groups: no weight decay for biases and 1-D parameters.</summary>
    public bool WeightDecay => !Name.Contains("bias", StringComparison.Ordinal) && Shape.Length != 1;
}
