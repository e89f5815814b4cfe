// The values of one step's parameters, checked against the parameter list, with a gradient buffer per trainable one.
namespace IJepa.GraphBuilder.Tests.Reference;

internal sealed class ParameterSet
{
    private readonly IReadOnlyDictionary<string, double[]> values;
    private readonly Dictionary<string, double[]> grads = new(StringComparer.Ordinal);

    public ParameterSet(IReadOnlyList<ReferenceParameter> list, IReadOnlyDictionary<string, double[]> values)
    {
        this.values = values;
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in list)
        {
            known.Add(p.Key);
            if (!values.TryGetValue(p.Key, out var v)) throw new ArgumentException($"missing parameter {p}");
            if (v.Length != p.Count) throw new ArgumentException($"parameter {p} has {v.Length} values, expected {p.Count}");
            if (p.Trainable) grads[p.Key] = new double[p.Count];
        }
        var extra = values.Keys.Where(k => !known.Contains(k)).ToList();
        if (extra.Count > 0) throw new ArgumentException($"unknown parameters: {string.Join(", ", extra.Take(5))}");
    }

    /// <summary>The accumulated gradients, keyed like the parameters.</summary>
    public IReadOnlyDictionary<string, double[]> Grads => grads;

    public ParameterScope Scope(string prefix) => new(this, prefix + ".");

    public double[] Value(string key) => values[key];

    public double[]? OptionalValue(string key) => values.TryGetValue(key, out var v) ? v : null;

    /// <summary>The gradient buffer of a trainable parameter; null for a stop-gradient one.</summary>
    public double[]? Grad(string key) => grads.TryGetValue(key, out var g) ? g : null;
}

/// <summary>A module's view of the parameters: names relative to its prefix (e.g. "encoder.blocks.0.").</summary>
internal readonly record struct ParameterScope(ParameterSet Set, string Prefix)
{
    public ParameterScope Child(string name) => new(Set, Prefix + name + ".");

    public double[] Value(string name) => Set.Value(Prefix + name);

    public double[]? OptionalValue(string name) => Set.OptionalValue(Prefix + name);

    public double[]? Grad(string name) => Set.Grad(Prefix + name);
}
