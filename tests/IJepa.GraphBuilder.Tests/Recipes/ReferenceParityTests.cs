// The train-step graph (float64) against the independent plain-C# reference: loss, every gradient, outputs.
using IJepa.GraphBuilder.Models;
using IJepa.GraphBuilder.Modules;
using IJepa.GraphBuilder.Recipes;
using IJepa.GraphBuilder.Tests.Reference;
using IJepa.GraphBuilder.Tests.Support;
using N = IJepa.GraphBuilder.Recipes.ArtifactNames;

namespace IJepa.GraphBuilder.Tests.Recipes;

public class ReferenceParityTests
{
    private const double Tolerance = 1e-6;

    private static IEnumerable<TestCaseData> Cases()
    {
        yield return new TestCaseData("toy").SetName("TrainStep_ToyFloat64_MatchesPlainReference");
        yield return new TestCaseData("wide").SetName("TrainStep_WideNoQkvBiasOwnPredictorHeads_MatchesPlainReference");
    }

    [TestCaseSource(nameof(Cases))]
    public void TrainStep_Float64_MatchesPlainReference(string name)
    {
        // The float64 graph uses the tanh GELU (ORT has no float64 Erf); the reference computes the same math.
        var c = name == "toy" ? ReferenceCase.Toy(ReferenceGelu.Tanh) : ReferenceCase.Wide(ReferenceGelu.Tanh);
        var expected = c.Run();
        var enc = c.Step.Encoder;
        var spec = new ArtifactSpec(name, enc, c.Step.Predictor, c.Step.NumPredMasks, Precision.Float64);
        var graph = TrainStepRecipe.Build(spec);

        var feed = new Dictionary<string, HostTensor>();
        foreach (var p in graph.Parameters)
            feed[p.Name] = p.Init == GraphBuilder.Core.InitRule.SinCos2D
                ? new HostTensor(PosEmbed.SinCos2D((int)p.Dims[^1], enc.GridSize), p.Dims)
                : new HostTensor(c.Parameters[p.Name], p.Dims);
        feed[N.Images] = new HostTensor(c.Images, [c.Batch, enc.InChans, enc.ImgSize, enc.ImgSize]);
        feed[N.ContextIndex] = new HostTensor(c.ContextIndex.Select(v => (double)v).ToArray(), [c.Batch, c.Nc]);
        feed[N.TargetIndex] = new HostTensor(c.TargetIndex.Select(v => (double)v).ToArray(), [c.Step.NumPredMasks, c.Batch, c.Nt]);
        using var eval = new OrtEval(graph);
        var actual = eval.Run(feed);

        Assert.That(actual[N.Loss].Data[0], Is.EqualTo(expected.Loss).Within(Tolerance * Math.Abs(expected.Loss)), "loss");
        Assert.That(GradCheck.RelativeError(actual[N.Prediction].Data, expected.Prediction), Is.LessThan(Tolerance), "prediction");
        Assert.That(GradCheck.RelativeError(actual[N.TargetFeatures].Data, expected.TargetFeatures), Is.LessThan(Tolerance), "target features");
        var trainable = graph.Parameters.Where(p => p.Trainable).Select(p => p.Name).ToList();
        Assert.That(trainable, Is.EquivalentTo(expected.Grads.Keys), "gradient set");
        double worst = 0;
        foreach (var p in trainable)
        {
            var want = expected.Grads[p];
            double error = GradCheck.RelativeError(actual[N.Grad(p)].Data, want);
            double scale = Math.Sqrt(want.Sum(v => v * v));
            if (scale < 1e-12) Assert.That(actual[N.Grad(p)].Data.Max(Math.Abs), Is.LessThan(1e-12), p);   // e.g. the key third of qkv.bias
            else Assert.That(error, Is.LessThan(Tolerance), p);
            if (scale >= 1e-12) worst = Math.Max(worst, error);
        }
        TestContext.Out.WriteLine($"{name}: loss {actual[N.Loss].Data[0]:R} vs {expected.Loss:R}; worst gradient normwise relative error {worst:E2}");
    }
}
