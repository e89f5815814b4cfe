// The whole I-JEPA train step, upstream's objective and the levers: it runs, and every gradient matches finite differences (float64).
using IJepa.GraphBuilder.Models;
using IJepa.GraphBuilder.Recipes;
using IJepa.GraphBuilder.Tests.Support;
using N = IJepa.GraphBuilder.Recipes.ArtifactNames;

namespace IJepa.GraphBuilder.Tests.Recipes;

public class TrainStepTests
{
    // B 2, 4 tokens: context {0, 3} / {1, 2}; target blocks m=0: {1}, {0}; m=1: {2}, {3}.
    private static readonly long[] Context = [0, 3, 1, 2];
    private static readonly long[] Targets = [1, 0, 2, 3];

    /// <summary>Upstream's objective, and each lever on (data2vec targets over 2 of 2 blocks, C-JEPA's variance–covariance term).</summary>
    [TestCase(1, 1, 0.0, 0.0)]
    [TestCase(2, 2, 0.0, 0.0)]
    [TestCase(1, 1, 1.0, 0.04)]
    [TestCase(2, 2, 1.0, 0.5)]
    public void TrainStep_ToyFloat64_EveryGradientMatchesFiniteDifferences(int depth, int targetBlocks, double variance, double covariance)
    {
        var spec = StepInputs.Toy(depth: depth) with { Objective = new TrainObjective(targetBlocks, variance, covariance) };
        var graph = TrainStepRecipe.Build(spec);
        var feed = StepInputs.Make(graph, spec, 2, Context, 2, Targets, 1);
        using var eval = new OrtEval(graph);
        var outputs = eval.Run(feed);
        double loss = outputs[N.Loss].Data[0];
        Assert.That(double.IsFinite(loss) && loss > 0, $"loss {loss}");

        const double h = 1e-5;
        var rng = new Random(3);
        foreach (var p in graph.Parameters.Where(p => p.Trainable))
        {
            var t = feed[p.Name];
            var analytic = outputs[N.Grad(p.Name)].Data;
            for (int k = 0; k < 3; k++)
            {
                int j = rng.Next(t.Data.Length);
                double orig = t.Data[j];
                t.Data[j] = orig + h; double plus = eval.Run(feed)[N.Loss].Data[0];
                t.Data[j] = orig - h; double minus = eval.Run(feed)[N.Loss].Data[0];
                t.Data[j] = orig;
                double numeric = (plus - minus) / (2 * h);
                Assert.That(analytic[j], Is.EqualTo(numeric).Within(1e-6 * Math.Max(1, Math.Abs(numeric)) + 1e-9), $"{p.Name}[{j}]");
            }
        }
    }
}
