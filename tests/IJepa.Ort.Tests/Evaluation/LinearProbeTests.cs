// The linear probe: known accuracy on synthetic tasks, the sweep, determinism.
using IJepa.Ort.Evaluation;

namespace IJepa.Ort.Tests.Evaluation;

public class LinearProbeTests
{
    private static readonly LinearProbeOptions Fast = new() { Epochs = 10, LearningRates = [3e-3, 3e-2], WeightDecays = [1e-4, 1e-2], Ridges = [1e-5] };

    [Test]
    public void Run_TwoGaussians_ReachesBayesAccuracy()
    {
        const double mu = 1.0;                                   // Φ(1) = 84.1 %
        var train = Synthetic.TwoGaussians(4000, 8, mu, seed: 1);
        var test = Synthetic.TwoGaussians(20000, 8, mu, seed: 2);
        double bayes = Synthetic.NormalCdf(mu);

        var result = LinearProbe.Run(train, test, Fast);

        Assert.That(result.TestAccuracy, Is.InRange(bayes - 0.015, bayes + 0.01), $"Bayes accuracy {bayes:P2}");
    }

    [Test]
    public void Run_LinearlySeparableFiveClasses_AboveNinetyEightPercent()
    {
        var (train, test) = Synthetic.LinearlySeparable(5000, 2000, dim: 10, classes: 5, seed: 3);

        var result = LinearProbe.Run(train, test, Fast);

        Assert.That(result.TestAccuracy, Is.GreaterThan(0.98));
        Assert.That(result.TrainAccuracy, Is.GreaterThan(0.98));
    }

    [Test]
    public void Run_Sweep_TriesEveryPairAndPicksTheBestOnValidation()
    {
        var (train, test) = Synthetic.LinearlySeparable(2000, 500, dim: 6, classes: 3, seed: 4);

        var result = LinearProbe.Run(train, test, Fast);
        var result2 = LinearProbe.Run(train, test, Fast with { Ridges = [1e-5, 1] });

        Assert.That(result.Sweep.Select(t => (t.Lr, t.WeightDecay)), Is.EquivalentTo(new[] { (3e-3, 1e-4), (3e-3, 1e-2), (3e-2, 1e-4), (3e-2, 1e-2) }));
        var best = result.Sweep.MaxBy(t => t.ValidationAccuracy)!;
        Assert.That((result.Lr, result.WeightDecay), Is.EqualTo((best.Lr, best.WeightDecay)));
        Assert.That(result2.Sweep, Has.Count.EqualTo(8));
        Assert.That(result2.Ridge, Is.EqualTo(result2.Sweep.MaxBy(t => t.ValidationAccuracy)!.Ridge));
    }

    [Test]
    public void Run_SameSeed_SameResult()
    {
        var (train, test) = Synthetic.LinearlySeparable(1500, 300, dim: 6, classes: 3, seed: 5);
        var options = Fast with { Seed = 9 };

        var a = LinearProbe.Run(train, test, options);
        var b = LinearProbe.Run(train, test, options);

        Assert.That(b.TestAccuracy, Is.EqualTo(a.TestAccuracy));
        Assert.That(b.Sweep.Select(t => t.ValidationAccuracy), Is.EqualTo(a.Sweep.Select(t => t.ValidationAccuracy)));
    }

    [Test]
    public void Fit_LossFalls_AndPredictAgreesWithHostArgMax()
    {
        var (train, _) = Synthetic.LinearlySeparable(1024, 10, dim: 4, classes: 3, seed: 6);
        using var options = new Microsoft.ML.OnnxRuntime.SessionOptions();
        using var session = new ProbeHeadSession(4, 3, 128, options);

        var first = session.Fit(train, 1e-2, 0, epochs: 1, seed: 0);
        double firstLoss = session.LastEpochLoss;
        var weights = session.Fit(train, 1e-2, 0, epochs: 10, seed: 0);

        Assert.That(session.LastEpochLoss, Is.LessThan(firstLoss));
        var predicted = session.Predict(train, weights);
        for (int i = 0; i < 20; i++)
        {
            var row = train.Row(i).ToArray();
            int host = Enumerable.Range(0, 3).MaxBy(c => Enumerable.Range(0, 4).Sum(j => (double)weights[c * 4 + j] * row[j]) + weights[12 + c]);
            Assert.That(predicted[i], Is.EqualTo(host), $"row {i}");
        }
        Assert.That(first, Has.Length.EqualTo(LinearProbeRecipe.ParameterCount(4, 3)));
    }
}
