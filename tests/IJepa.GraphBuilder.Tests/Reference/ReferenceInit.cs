// Random inputs for tests of the reference step: generic parameters (every gradient non-trivial), images and masks.
using IJepa.GraphBuilder.Models;

namespace IJepa.GraphBuilder.Tests.Reference;

public static class ReferenceInit
{
    /// <summary>
    /// Upstream's init plus noise: weights and mask_token trunc-normal (std 0.02, cut at 2 std), biases 0, norms 1 / 0,
    /// then N(0, noise^2) added to every value, so biases and norms are generic and no gradient vanishes by symmetry
    /// (at upstream's init the encoder's gradients are ~1e-8). target_encoder is a separate draw.
    /// </summary>
    public static Dictionary<string, double[]> Parameters(VitSpec encoder, PredictorSpec predictor, int seed, double noise = 0.5)
    {
        var rng = new Random(seed);
        var result = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var p in ReferenceParameters.For(encoder, predictor))
        {
            var v = new double[p.Count];
            bool matrix = p.Shape.Length >= 2, norm = !matrix && IsNormWeight(p.Key);
            for (int i = 0; i < v.Length; i++)
                v[i] = (matrix ? TruncNormal(rng, 0.02) : norm ? 1 : 0) + noise * Normal(rng);
            result[p.Key] = v;
        }
        return result;
    }

    /// <summary>Images [B, C, H, W] with standard normal pixels.</summary>
    public static double[] Images(VitSpec encoder, int batch, int seed)
    {
        var rng = new Random(seed);
        var images = new double[batch * encoder.InChans * encoder.ImgSize * encoder.ImgSize];
        for (int i = 0; i < images.Length; i++) images[i] = Normal(rng);
        return images;
    }

    /// <summary>Per row, <paramref name="count"/> distinct patch numbers in [0, numPatches), sorted: [rows, count].</summary>
    public static long[] Indices(int rows, int count, int numPatches, int seed)
    {
        if (count > numPatches) throw new ArgumentException($"{count} distinct indices do not fit {numPatches} patches");
        var rng = new Random(seed);
        var index = new long[rows * count];
        for (int r = 0; r < rows; r++)
        {
            var picked = Enumerable.Range(0, numPatches).OrderBy(_ => rng.Next()).Take(count).Order().ToArray();
            for (int j = 0; j < count; j++) index[r * count + j] = picked[j];
        }
        return index;
    }

    // LayerNorm weights are the 1-D "*.weight" tensors; all other 1-D tensors are biases.
    private static bool IsNormWeight(string key) => key.EndsWith(".weight", StringComparison.Ordinal);

    private static double TruncNormal(Random rng, double std)
    {
        double v;
        do v = Normal(rng); while (Math.Abs(v) > 2);
        return v * std;
    }

    private static double Normal(Random rng)   // Box-Muller
    {
        double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
