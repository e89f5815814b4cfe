// Whitening: the training features come out centred with identity covariance; ill-conditioned features included.
using IJepa.Ort.Evaluation;

namespace IJepa.Ort.Tests.Evaluation;

public class WhiteningTests
{
    [Test]
    public void Apply_CorrelatedIllConditionedFeatures_IdentityCovariance()
    {
        // x = A·z + offset with z ~ N(0, I) and A's columns scaled over three orders of magnitude (float32 data).
        const int rows = 3000, dim = 4;
        var rng = new Random(2);
        var a = Enumerable.Range(0, dim * dim).Select(k => Synthetic.Gaussian(rng) * Math.Pow(10, -(k % dim))).ToArray();
        var data = new float[rows * dim];
        for (int i = 0; i < rows; i++)
        {
            var z = Enumerable.Range(0, dim).Select(_ => Synthetic.Gaussian(rng)).ToArray();
            for (int r = 0; r < dim; r++) data[i * dim + r] = (float)(5 + Enumerable.Range(0, dim).Sum(c => a[r * dim + c] * z[c]));
        }
        var features = new FeatureSet(data, rows, dim, new int[rows], 1);
        using var options = new Microsoft.ML.OnnxRuntime.SessionOptions();

        var white = Whitening.Fit(features, 1e-9, options).Apply(features, options);

        for (int r = 0; r < dim; r++)
        {
            Assert.That(Enumerable.Range(0, rows).Average(i => white.Data[i * dim + r]), Is.EqualTo(0).Within(1e-3), $"mean {r}");
            for (int c = 0; c < dim; c++)
            {
                double cov = Enumerable.Range(0, rows).Average(i => (double)white.Data[i * dim + r] * white.Data[i * dim + c]);
                Assert.That(cov, Is.EqualTo(r == c ? 1 : 0).Within(2e-2), $"covariance ({r}, {c})");
            }
        }
    }

    [Test]
    public void Fit_ConstantFeature_RidgeKeepsItFinite()
    {
        var data = new float[] { 1, 3, 2, 3, 3, 3, 4, 3 };                // the second feature never varies
        var features = new FeatureSet(data, 4, 2, [0, 1, 0, 1], 2);
        using var options = new Microsoft.ML.OnnxRuntime.SessionOptions();

        var white = Whitening.Fit(features, 1e-5, options).Apply(features, options);

        Assert.That(white.Data, Has.All.Matches<float>(float.IsFinite));
    }
}
