// Finite-difference checks of the LogSoftmax gradient rule (float64 through ORT CPU), used by the linear probe's loss.
using IJepa.GraphBuilder.Core;
using IJepa.GraphBuilder.Tests.Support;

namespace IJepa.GraphBuilder.Tests.Autodiff;

public class LogSoftmaxRuleTests
{
    private const double Tolerance = 1e-6;
    private static readonly Random Rng = new(7);

    [Test, ChecksRules("LogSoftmax")]
    public void LogSoftmax_LastAxis_MatchesFiniteDifferences() =>
        Assert.That(GradCheck.MaxRelativeError((g, x) => g.LogSoftmax(x[0]), [HostTensor.Random(Rng, 3, 5)]), Is.LessThan(Tolerance));

    [Test, ChecksRules("LogSoftmax")]
    public void LogSoftmax_MiddleAxisOfRank3_MatchesFiniteDifferences() =>
        Assert.That(GradCheck.MaxRelativeError((g, x) => g.LogSoftmax(x[0], axis: 1), [HostTensor.Random(Rng, 2, 4, 3)]), Is.LessThan(Tolerance));

    [Test, ChecksRules("LogSoftmax", "Mul")]
    public void LogSoftmax_LargeLogits_MatchesFiniteDifferences() =>
        Assert.That(GradCheck.MaxRelativeError((g, x) => g.LogSoftmax(g.Mul(x[0], 40.0)), [HostTensor.Random(Rng, 4, 6)]), Is.LessThan(Tolerance));
}
