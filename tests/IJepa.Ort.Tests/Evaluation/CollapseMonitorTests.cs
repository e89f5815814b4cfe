// The collapse monitor: a constant encoder is flagged, spread-out features are not; effective rank and eigenvalues.
using IJepa.GraphBuilder.Core;
using IJepa.Ort.Data;
using IJepa.Ort.Evaluation;
using IJepa.Ort.Export;

namespace IJepa.Ort.Tests.Evaluation;

public class CollapseMonitorTests
{
    private static readonly IImageDataset Images = new ScenesDataset(new ScenesOptions { ImageSize = 28, TrainCount = 96 }, DataSplit.Train);

    [Test]
    public void Measure_ConstantEncoder_FlagsCollapse()
    {
        // Every weight zero except the final LayerNorm's bias: the encoder maps every image to that bias.
        var config = Synthetic.TinyConfig();
        var rng = new Random(3);
        var constant = EncoderExport.Build(config, "tiny", "constant", 0, 0, "constant encoder", (p, into) =>
        {
            into.Clear();
            if (p.Name == "encoder.norm.bias") for (int i = 0; i < into.Length; i++) into[i] = (float)rng.NextDouble();
        });

        var stats = CollapseMonitor.Measure(FeatureExtractor.Encode(constant, Images, threads: 1));

        Assert.That(stats.Collapsing, Is.True);
        Assert.That(stats.NormalizedStd, Is.LessThan(1e-4));
        Assert.That(stats.EffectiveRank, Is.LessThan(1));
        Assert.That(stats.Warning, Does.Contain("collapsing"));
    }

    [Test]
    public void Measure_RandomInitEncoder_IsNotFlagged()
    {
        var random = EncoderExport.RandomInit(Synthetic.TinyConfig(), "tiny", seed: 0);

        var stats = CollapseMonitor.Measure(FeatureExtractor.Encode(random, Images, threads: 1));

        Assert.That(stats.Collapsing, Is.False, stats.Warning);
        Assert.That(stats.EffectiveRank, Is.GreaterThan(2));
    }

    [Test]
    public void Measure_IsotropicGaussian_SpreadNearOneAndRankNearDim()
    {
        const int rows = 4000, dim = 16;
        var rng = new Random(5);
        var data = Enumerable.Range(0, rows * dim).Select(_ => (float)Synthetic.Gaussian(rng)).ToArray();

        var stats = CollapseMonitor.Measure(data, rows, dim);

        Assert.That(stats.NormalizedStd, Is.EqualTo(1).Within(0.05));
        Assert.That(stats.EffectiveRank, Is.GreaterThan(0.95 * dim));
        Assert.That(stats.Collapsing, Is.False);
    }

    [Test]
    public void Measure_RankOneFeatures_FlaggedByRank()
    {
        // Features a·u + tiny noise: spread along one direction only.
        const int rows = 500, dim = 64;
        var rng = new Random(6);
        var u = Enumerable.Range(0, dim).Select(_ => Synthetic.Gaussian(rng)).ToArray();
        var data = new float[rows * dim];
        for (int i = 0; i < rows; i++)
        {
            double a = Synthetic.Gaussian(rng);
            for (int j = 0; j < dim; j++) data[i * dim + j] = (float)(a * u[j] + 1e-4 * Synthetic.Gaussian(rng));
        }

        var stats = CollapseMonitor.Measure(data, rows, dim);

        Assert.That(stats.EffectiveRank, Is.LessThan(2));
        Assert.That(stats.Collapsing, Is.True);
    }

    [Test]
    public void EffectiveRank_EqualSingularValues_IsTheirCount() =>
        Assert.That(CollapseMonitor.EffectiveRank([4, 4, 4, 0, 0]), Is.EqualTo(3).Within(1e-12));

    [Test]
    public void Eigenvalues_RotatedDiagonal_RecoversSpectrum()
    {
        // A = R·diag(5, 2, 0.5, 0)·Rᵀ with R a product of Givens rotations.
        double[] spectrum = [5, 2, 0.5, 0];
        const int n = 4;
        var r = new double[n * n];
        for (int i = 0; i < n; i++) r[i * n + i] = 1;
        var rng = new Random(8);
        for (int k = 0; k < 6; k++)
        {
            int p = k % n, q = (k + 1 + k / n) % n;
            if (p == q) continue;
            double t = rng.NextDouble() * Math.PI, c = Math.Cos(t), s = Math.Sin(t);
            for (int i = 0; i < n; i++)
            {
                double rp = r[i * n + p], rq = r[i * n + q];
                r[i * n + p] = c * rp - s * rq;
                r[i * n + q] = s * rp + c * rq;
            }
        }
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                for (int k = 0; k < n; k++) a[i * n + j] += r[i * n + k] * spectrum[k] * r[j * n + k];

        var eigenvalues = SymmetricEigen.Eigenvalues(a, n).OrderDescending().ToArray();

        Assert.That(eigenvalues, Is.EqualTo(spectrum).Within(1e-10));
    }
}
