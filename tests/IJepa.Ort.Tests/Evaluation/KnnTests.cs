// kNN: exact answers on hand-made examples (weighted votes, temperature, k clamped to the bank).
using IJepa.Ort.Evaluation;

namespace IJepa.Ort.Tests.Evaluation;

public class KnnTests
{
    // Bank on the unit circle (2-D): one A at 0°, two B at ±36.87° (cos 0.8), two C far away.
    private static readonly FeatureSet Bank = new(
        [1, 0,   0.8f, 0.6f,   0.8f, -0.6f,   -1, 0,   0, -1],
        5, 2, [0, 1, 1, 2, 2], 3);

    [Test]
    public void Predict_SharpTemperature_NearestNeighbourOutvotesTwoFartherOnes()
    {
        // query (2, 0): similarities 1 (A), 0.8 (B), 0.8 (B); k = 3. Votes: A e^(1/0.07) ≈ 1.6e6 > B 2·e^(0.8/0.07) ≈ 1.8e5.
        var query = new FeatureSet([2, 0], 1, 2, [0], 3);

        var predicted = KnnClassifier.Predict(Bank, query, new KnnOptions { K = 3, Temperature = 0.07 });

        Assert.That(predicted, Is.EqualTo(new[] { 0 }));
    }

    [Test]
    public void Predict_FlatTemperature_TwoFartherNeighboursOutvoteTheNearest()
    {
        // same neighbours, T = 1: A e^1 ≈ 2.72 < B 2·e^0.8 ≈ 4.45.
        var query = new FeatureSet([2, 0], 1, 2, [1], 3);

        var predicted = KnnClassifier.Predict(Bank, query, new KnnOptions { K = 3, Temperature = 1 });

        Assert.That(predicted, Is.EqualTo(new[] { 1 }));
    }

    [Test]
    public void Evaluate_HandMadeQueries_ExactAccuracy()
    {
        // k = 1: (0, −3) → C (sim 1); (0.6, 0.8) → B (0.96 to (0.8, 0.6)); (−5, 0.1) → C. Labels say C, A, C: 2 of 3.
        var queries = new FeatureSet([0, -3,   0.6f, 0.8f,   -5, 0.1f], 3, 2, [2, 0, 2], 3);

        var result = KnnClassifier.Evaluate(Bank, queries, new KnnOptions { K = 1 });

        Assert.That(KnnClassifier.Predict(Bank, queries, new KnnOptions { K = 1 }), Is.EqualTo(new[] { 2, 1, 2 }));
        Assert.That(result.Accuracy, Is.EqualTo(2.0 / 3));
    }

    [Test]
    public void Evaluate_KLargerThanBank_UsesWholeBank()
    {
        var queries = new FeatureSet([1, 0.1f], 1, 2, [2], 3);

        var result = KnnClassifier.Evaluate(Bank, queries, new KnnOptions { K = 20, Temperature = 100 });

        // T = 100 makes every vote ≈ 1 + s/100: B (0.86, 0.74) totals 2.016, C (−0.99, −0.10) 1.989, A (0.99) 1.010: B wins.
        Assert.That(result.K, Is.EqualTo(5));
        Assert.That(result.Accuracy, Is.EqualTo(0));
    }

    [Test]
    public void Predict_Centred_NeighbourBySpreadNotByOffset()
    {
        // bank A (1, 1), B (3, −1); mean (2, 0) ⇒ centred A (−1, 1), B (1, −1). Query (2.2, 0.3) centres to (0.2, 0.3):
        // cosine +0.2 to A, −0.2 to B. Uncentred, the shared offset decides: cos 0.796 to A, 0.897 to B.
        var bank = new FeatureSet([1, 1, 3, -1], 2, 2, [0, 1], 2);
        var query = new FeatureSet([2.2f, 0.3f], 1, 2, [0], 2);

        Assert.That(bank.ColumnMean(), Is.EqualTo(new[] { 2f, 0f }));
        Assert.That(KnnClassifier.Predict(bank, query, new KnnOptions { K = 1, Center = true }), Is.EqualTo(new[] { 0 }));
        Assert.That(KnnClassifier.Predict(bank, query, new KnnOptions { K = 1 }), Is.EqualTo(new[] { 1 }));
    }
}
