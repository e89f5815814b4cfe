// A small counter-seeded generator (xoshiro256**, seeded through SplitMix64) for draws that must be reproducible per step.
using static IJepa.Ort.Randomness.SplitMix64;

namespace IJepa.Ort.Masks;

/// <summary>
/// xoshiro256** seeded from (seed, step, stream): the same triple always gives the same sequence, so anything drawn
/// from it at step k is reproduced when a run resumes at step k. Torch's generator cannot be reproduced bit for bit
/// here, so the masks match upstream in distribution, not in value. A value type: copy it and both copies continue
/// the same sequence. Streams 0 and 1 belong to <see cref="MultiBlockMaskCollator"/> (block sizes, block positions);
/// other users of the run's seed should take other stream numbers.
/// </summary>
public struct StepRng
{
    private ulong _s0, _s1, _s2, _s3;

    public StepRng(ulong seed, long step, ulong stream)
    {
        ulong key = Mix(Mix(Mix(seed) ^ (ulong)step) ^ stream);
        // Four consecutive SplitMix64 outputs from `key` (Mix adds the increment itself).
        _s0 = Mix(key);
        _s1 = Mix(key + Gamma);
        _s2 = Mix(key + unchecked(2 * Gamma));
        _s3 = Mix(key + unchecked(3 * Gamma));
    }

    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) on a 2⁻²⁴ lattice, the resolution of torch's float32 <c>torch.rand</c>.</summary>
    public double NextFloat32() => (NextUInt64() >> 40) * (1.0 / (1 << 24));

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, <paramref name="n"/>), unbiased (Lemire's multiply-and-reject).</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "must be positive");
        ulong m = (NextUInt64() >> 32) * (ulong)n;
        uint low = (uint)m;
        if (low < (uint)n)
        {
            uint threshold = (uint)-n % (uint)n;
            while (low < threshold)
            {
                m = (NextUInt64() >> 32) * (ulong)n;
                low = (uint)m;
            }
        }
        return (int)(m >> 32);
    }
}
