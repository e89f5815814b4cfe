// Checks of the reference's scalar building blocks: erf, both GELUs and their derivatives.
namespace IJepa.GraphBuilder.Tests.Reference;

[TestFixture]
public sealed class ReferenceMathTests
{
    // (x, erf x, erfc x) to 20 digits (mpmath, 30-digit arithmetic).
    private static readonly (double X, double Erf, double Erfc)[] ErfTable =
    [
        (0.001, 0.0011283787909692363799, 0.99887162120903076362),
        (0.3, 0.32862675945912742764, 0.67137324054087257236),
        (0.7071067811865476, 0.68268949213708594891, 0.31731050786291405109),
        (1, 0.84270079294971486934, 0.15729920705028513066),
        (1.7, 0.98379045859077456363, 0.016209541409225436374),
        (2.4, 0.99931148610335492143, 0.00068851389664507856974),
        (2.6, 0.9997639655834706508, 0.00023603441652934920399),
        (3.3, 0.99999694229020356184, 3.0577097964381614618e-6),
        (4.5, 0.99999999980338395585, 1.9661604415428874763e-10),
        (6, 0.99999999999999997848, 2.1519736712498913117e-17),
    ];

    [Test]
    public void Erf_KnownValues_MatchToAFewUlps()
    {
        foreach (var (x, erf, erfc) in ErfTable)
        {
            Assert.That(Erf.Of(x), Is.EqualTo(erf).Within(4e-16 * erf), $"erf({x})");
            Assert.That(Erf.Of(-x), Is.EqualTo(-erf).Within(4e-16 * erf), $"erf(-{x})");
            // Below 2.5 erfc is 1 - erf (absolute accuracy); above, the continued fraction (relative accuracy).
            Assert.That(Erf.Complement(x), Is.EqualTo(erfc).Within(x < 2.5 ? 4e-16 : 1e-14 * erfc), $"erfc({x})");
        }
    }

    [TestCase(ReferenceGelu.Exact, -3, -0.00404969409489028358)]
    [TestCase(ReferenceGelu.Exact, -0.5, -0.15426876936299344818)]
    [TestCase(ReferenceGelu.Exact, 1, 0.84134474606854294859)]
    [TestCase(ReferenceGelu.Exact, 2.5, 2.4844758366855596621)]
    [TestCase(ReferenceGelu.Tanh, -3, -0.0036373920817730188378)]
    [TestCase(ReferenceGelu.Tanh, -0.5, -0.15428599017485607796)]
    [TestCase(ReferenceGelu.Tanh, 1, 0.84119199060827670478)]
    [TestCase(ReferenceGelu.Tanh, 2.5, 2.4849157339100014179)]
    public void GeluValue_KnownPoint_MatchesHighPrecisionValue(ReferenceGelu kind, double x, double expected) =>
        Assert.That(Gelu.Value(kind, x), Is.EqualTo(expected).Within(1e-15 + 2e-15 * Math.Abs(expected)));

    [TestCase(ReferenceGelu.Exact)]
    [TestCase(ReferenceGelu.Tanh)]
    public void GeluDerivative_Grid_MatchesFiniteDifferences(ReferenceGelu kind)
    {
        const double h = 1e-4;
        for (double x = -6; x <= 6; x += 0.37)
        {
            double fd1 = (Gelu.Value(kind, x + h) - Gelu.Value(kind, x - h)) / (2 * h);
            double fd2 = (Gelu.Value(kind, x + h / 2) - Gelu.Value(kind, x - h / 2)) / h;
            Assert.That(Gelu.Derivative(kind, x), Is.EqualTo((4 * fd2 - fd1) / 3).Within(1e-10), $"x = {x}");
        }
    }
}
