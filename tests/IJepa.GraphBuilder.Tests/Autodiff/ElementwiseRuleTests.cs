// Finite-difference checks of the element-wise gradient rules (float64 through ORT CPU).
using IJepa.GraphBuilder.Core;
using IJepa.GraphBuilder.Tests.Support;

namespace IJepa.GraphBuilder.Tests.Autodiff;

public class ElementwiseRuleTests
{
    private const double Tolerance = 1e-5;
    private static readonly Random Rng = new(1);

    [Test]
    public void Add_BroadcastBias_MatchesFiniteDifferences() =>
        Assert.That(GradCheck.MaxRelativeError((g, x) => g.Add(x[0], x[1]),
            [HostTensor.Random(Rng, 2, 3, 4), HostTensor.Random(Rng, 4)]), Is.LessThan(Tolerance));

    [Test]
    public void Mul_BroadcastMiddle_MatchesFiniteDifferences() =>
        Assert.That(GradCheck.MaxRelativeError((g, x) => g.Mul(x[0], x[1]),
            [HostTensor.Random(Rng, 2, 3, 4), HostTensor.Random(Rng, 1, 3, 1)]), Is.LessThan(Tolerance));
}
