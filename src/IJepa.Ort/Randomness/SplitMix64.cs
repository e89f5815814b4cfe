// SplitMix64 (Steele, Lea & Flood 2014): the project's one copy of its increment and output function, under every
// generator it has (data order and augmentation, masks, parameter init). Frozen: the Fashion-MNIST split's checksums
// and every seeded run depend on this exact arithmetic.
namespace IJepa.Ort.Randomness;

public static class SplitMix64
{
    /// <summary>The increment: 2⁶⁴ divided by the golden ratio, odd.</summary>
    public const ulong Gamma = 0x9E3779B97F4A7C15UL;

    /// <summary>The output for state <paramref name="z"/>: a bijective mix of <c>z + Gamma</c> (also a good 64-bit hash step).</summary>
    public static ulong Mix(ulong z)
    {
        z += Gamma;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The next output of the generator whose whole state is <paramref name="state"/>, which advances.</summary>
    public static ulong Next(ref ulong state)
    {
        ulong output = Mix(state);
        state += Gamma;
        return output;
    }
}
