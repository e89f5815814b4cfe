// Parameter initialisation by the manifest's rules (ijepa `_init_weights`, `fix_init_weight`), deterministic per seed.
using IJepa.GraphBuilder.Core;
using IJepa.GraphBuilder.Modules;
using IJepa.GraphBuilder.Recipes;

namespace IJepa.Ort.Runtime;

public static class ParameterInit
{
    /// <summary>
    /// Fills <paramref name="into"/> by <paramref name="p"/>'s rule. Each parameter draws from its own stream seeded by
    /// (seed, name), so adding a parameter never changes another's values.
    /// </summary>
    public static void Fill(ManifestParameter p, Span<float> into, ulong seed, int gridSize)
    {
        switch (p.Init.Kind)
        {
            case "zeros": into.Clear(); break;
            case "ones": into.Fill(1f); break;
            case "sincos2d":
                var table = PosEmbed.SinCos2D((int)p.Shape[^1], gridSize);
                for (int i = 0; i < into.Length; i++) into[i] = (float)table[i];
                break;
            case "trunc_normal":
                var rng = new SplitMix(seed ^ StableHash(p.Name));
                for (int i = 0; i < into.Length; i++) into[i] = (float)(TruncatedNormal(rng, p.Init.Std, -2, 2) * p.Init.Scale);
                break;
            default: throw new InvalidOperationException($"parameter {p.Name}: unknown init rule '{p.Init.Kind}'");
        }
    }

    /// <summary>N(0, std²) restricted to [a, b] (absolute bounds, as torch's trunc_normal_), by rejection.</summary>
    private static double TruncatedNormal(SplitMix rng, double std, double a, double b)
    {
        while (true)
        {
            double x = std * rng.NextGaussian();
            if (x >= a && x <= b) return x;
        }
    }

    /// <summary>FNV-1a over the UTF-16 name: stable across runs and platforms (string.GetHashCode is not).</summary>
    public static ulong StableHash(string s)
    {
        ulong h = 14695981039346656037UL;
        foreach (char c in s) { h ^= c; h *= 1099511628211UL; }
        return h;
    }
}

/// <summary>SplitMix64: a tiny, fast, seedable generator whose whole state is one ulong (easy to checkpoint).</summary>
public sealed class SplitMix(ulong state)
{
    private ulong _state = state;

    public ulong State => _state;

    public ulong NextUInt64() => Randomness.SplitMix64.Next(ref _state);

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public double NextGaussian()
    {
        double u = 1 - NextDouble(), v = NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }
}
