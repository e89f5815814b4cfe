// The data pipeline's random numbers: SplitMix64, keyed by (seed, stream, index) so that every sample,
// epoch shuffle and split has its own reproducible stream, independent of thread timing.
// Frozen: the Fashion-MNIST IDX checksums depend on this exact sequence, so the algorithm never changes.
using IJepa.Ort.Randomness;

namespace IJepa.Ort.Data;

/// <summary>
/// A small, fast, value-type generator (SplitMix64, Steele et al. 2014). Pass it by <c>ref</c>.
/// Torch's generators cannot be reproduced bit for bit; this one is ours and is stable across .NET versions.
/// </summary>
public struct DataRandom
{
    private ulong _state;

    public DataRandom(ulong seed) => _state = seed;

    /// <summary>A generator for one (seed, a, b) key, e.g. (seed, epoch, sample index).</summary>
    public static DataRandom For(ulong seed, long a, long b = 0) =>
        new(Mix(Mix(Mix(seed) ^ (ulong)a) ^ (ulong)b));

    /// <summary>The SplitMix64 finaliser: a bijective 64-bit mix.</summary>
    public static ulong Mix(ulong z) => SplitMix64.Mix(z);

    public ulong NextUInt64() => SplitMix64.Next(ref _state);

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [low, high).</summary>
    public double Uniform(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>Uniform integer in [0, bound), unbiased (Lemire's multiply-and-reject).</summary>
    public int NextInt(int bound)
    {
        if (bound <= 0) throw new ArgumentOutOfRangeException(nameof(bound), bound, "must be positive");
        ulong range = (ulong)bound;
        uint threshold = (uint)((1UL << 32) % range);
        while (true)
        {
            ulong m = (NextUInt64() >> 32) * range;   // 32 random bits times the bound
            if ((uint)m >= threshold) return (int)(m >> 32);
        }
    }

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool Bernoulli(double p) => NextDouble() < p;

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
