// The variance–covariance regulariser (ijepa_ort.vc_loss): its values against plain C#, its gradient against finite differences.
using IJepa.GraphBuilder.Core;
using IJepa.GraphBuilder.Modules;
using IJepa.GraphBuilder.Tests.Support;

namespace IJepa.GraphBuilder.Tests.Modules;

public class VcLossTests
{
    /// <summary>Both terms as one [2] vector: (variance, covariance).</summary>
    private static Value Terms(Graph g, Value z)
    {
        var (variance, covariance) = VcLoss.Terms(g, z);
        return g.Concat(0, g.Reshape(variance, 1), g.Reshape(covariance, 1));
    }

    /// <summary>VICReg's definitions written out: unbiased variance, relu(1 − sqrt(var + 1e-4)), off-diagonal C² / D.</summary>
    private static (double Variance, double Covariance) Reference(double[,] z)
    {
        int b = z.GetLength(0), d = z.GetLength(1);
        var mean = new double[d];
        for (int j = 0; j < d; j++) { for (int i = 0; i < b; i++) mean[j] += z[i, j]; mean[j] /= b; }
        double variance = 0, covariance = 0;
        for (int j = 0; j < d; j++)
            for (int k = 0; k < d; k++)
            {
                double c = 0;
                for (int i = 0; i < b; i++) c += (z[i, j] - mean[j]) * (z[i, k] - mean[k]);
                c /= b - 1;
                if (j == k) variance += Math.Max(0, 1 - Math.Sqrt(c + 1e-4)) / d;
                else covariance += c * c / d;
            }
        return (variance, covariance);
    }

    [Test]
    public void Terms_SymbolicBatch_MatchVicRegDefinitions()
    {
        var rng = new Random(5);
        const int B = 5, D = 4;
        var z = new double[B, D];
        for (int i = 0; i < B; i++) for (int j = 0; j < D; j++) z[i, j] = (j + 1) * 0.4 * (rng.NextDouble() * 2 - 1) + 0.3 * (i % 2);
        var g = new Graph("vc_terms");
        g.Output(Terms(g, g.Input("z", DType.Double, Dim.Sym("B"), D)), "y");
        using var eval = new OrtEval(g);
        var y = eval.Run(new Dictionary<string, HostTensor> { ["z"] = new(z.Cast<double>().ToArray(), [B, D]) })["y"].Data;

        var (variance, covariance) = Reference(z);
        Assert.That(variance, Is.GreaterThan(0), "the example should have dims below γ");
        Assert.That(y[0], Is.EqualTo(variance).Within(1e-12));
        Assert.That(y[1], Is.EqualTo(covariance).Within(1e-12));
    }

    /// <summary>Per-dimension spreads on both sides of γ = 1, so the relu's both branches are checked.</summary>
    [Test]
    public void Terms_SymbolicBatch_MatchFiniteDifferences()
    {
        var rng = new Random(6);
        var z = HostTensor.Of([6, 4], i => (i % 4 < 2 ? 0.3 : 2.5) * (rng.NextDouble() * 2 - 1));
        double error = GradCheck.MaxRelativeError((g, x) => Terms(g, x[0]), [z], shapes: [[Dim.Sym("B"), 4]]);
        Assert.That(error, Is.LessThan(1e-6));
    }

    /// <summary>The whole regulariser from context tokens [B, Nc, D] (per-image mean first), weights applied.</summary>
    [Test]
    public void Build_FromTokens_MatchesFiniteDifferences()
    {
        var rng = new Random(7);
        var tokens = HostTensor.Of([4, 3, 4], i => (i % 4 < 2 ? 0.5 : 3.0) * (rng.NextDouble() * 2 - 1));
        double error = GradCheck.MaxRelativeError((g, x) => VcLoss.Build(g, x[0], 1.0, 0.04), [tokens],
            shapes: [[Dim.Sym("B"), Dim.Sym("Nc"), 4]]);
        Assert.That(error, Is.LessThan(1e-6));
    }
}
