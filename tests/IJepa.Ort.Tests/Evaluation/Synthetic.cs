// Test support for the evaluation tests: synthetic feature sets with known answers, and a tiny model config.
using IJepa.Ort.Config;
using IJepa.Ort.Evaluation;
using IJepa.Ort.Tests.Config;

namespace IJepa.Ort.Tests.Evaluation;

internal static class Synthetic
{
    /// <summary>
    /// Two classes in <paramref name="dim"/> dimensions: x ~ N(±μ·e₀, I). The Bayes classifier (sign of x₀) is linear and
    /// its accuracy is Φ(μ); no classifier does better on average.
    /// </summary>
    public static FeatureSet TwoGaussians(int count, int dim, double mu, int seed)
    {
        var rng = new Random(seed);
        var data = new float[count * dim];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = i % 2;
            for (int j = 0; j < dim; j++) data[i * dim + j] = (float)(Gaussian(rng) + (j == 0 ? (labels[i] == 1 ? mu : -mu) : 0));
        }
        return new FeatureSet(data, count, dim, labels, 2);
    }

    /// <summary>
    /// Labels = arg max of a fixed random linear map of x ~ N(0, I), keeping only points whose best score beats the
    /// second by at least 1 (a margin), shifted by an offset: linearly separable by construction.
    /// </summary>
    public static (FeatureSet Train, FeatureSet Test) LinearlySeparable(int train, int test, int dim, int classes, int seed)
    {
        var rng = new Random(seed);
        var w = Enumerable.Range(0, classes * dim).Select(_ => Gaussian(rng)).ToArray();
        var offset = Enumerable.Range(0, dim).Select(_ => 3 * Gaussian(rng)).ToArray();   // not centred: standardisation matters
        FeatureSet Make(int count)
        {
            var data = new float[count * dim];
            var labels = new int[count];
            for (int i = 0; i < count; i++)
            {
                double[] x, scores;
                do
                {
                    x = Enumerable.Range(0, dim).Select(_ => Gaussian(rng)).ToArray();
                    var xi = x;
                    scores = Enumerable.Range(0, classes).Select(c => Enumerable.Range(0, dim).Sum(j => w[c * dim + j] * xi[j])).ToArray();
                } while (scores.Max() - scores.OrderDescending().ElementAt(1) < 1);
                for (int j = 0; j < dim; j++) data[i * dim + j] = (float)(x[j] + offset[j]);
                labels[i] = Array.IndexOf(scores, scores.Max());
            }
            return new FeatureSet(data, count, dim, labels, classes);
        }
        return (Make(train), Make(test));
    }

    /// <summary>Φ(x), the standard normal CDF (Abramowitz–Stegun 7.1.26 erf, error &lt; 1.5e-7).</summary>
    public static double NormalCdf(double x)
    {
        double z = Math.Abs(x) / Math.Sqrt(2), t = 1 / (1 + 0.3275911 * z);
        double erf = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-z * z);
        return 0.5 * (1 + Math.Sign(x) * erf);
    }

    public static double Gaussian(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    /// <summary>The micro preset shrunk to one block of width 16 (fast to build and run), 28×28 grey.</summary>
    public static IJepaConfig TinyConfig() => ConfigLoader.Load(Presets.PathOf("fmnist-vit-micro.yaml"),
    [
        new("ijepa_ort.model.embed_dim", "16"), new("ijepa_ort.model.depth", "2"), new("ijepa_ort.model.num_heads", "2"),
        new("meta.pred_emb_dim", "16"), new("meta.pred_depth", "1"),
    ]);
}
