// Finite-difference checks of the element-wise gradient rules (float64 through ORT CPU).
using IJepa.GraphBuilder.Core;
using IJepa.GraphBuilder.Tests.Support;

namespace IJepa.GraphBuilder.Tests.Autodiff;

public class ElementwiseRuleTests
{
    private const double Tolerance = 1e-5;
    private static readonly Random Rng = new(1);

    private static HostTensor R(params long[] shape) => HostTensor.Random(Rng, shape);

    /// <summary>Values in [lo, hi) (kept away from a kink or a pole).</summary>
    private static HostTensor Between(double lo, double hi, params long[] shape) => HostTensor.Of(shape, _ => lo + (hi - lo) * Rng.NextDouble());

    /// <summary>Values with |v| in [0.2, 1), random sign (kept away from 0).</summary>
    private static HostTensor AwayFromZero(params long[] shape) => HostTensor.Of(shape, _ => (Rng.Next(2) * 2 - 1) * (0.2 + 0.8 * Rng.NextDouble()));

    private static void Check(Func<Graph, Value[], Value> f, params HostTensor[] inputs) =>
        Assert.That(GradCheck.MaxRelativeError(f, inputs), Is.LessThan(Tolerance));

    [Test, ChecksRules("Identity")]
    public void Identity_Tensor_MatchesFiniteDifferences() => Check((g, x) => g.Mul(g.Identity(x[0]), x[0]), R(2, 3));

    [Test, ChecksRules("Add")]
    public void Add_BroadcastBias_MatchesFiniteDifferences() => Check((g, x) => g.Add(x[0], x[1]), R(2, 3, 4), R(4));

    /// <summary>A position table [1, N, D] over a symbolic batch: its gradient sums the leading axis as a GEMV.</summary>
    [Test, ChecksRules("Add")]
    public void Add_TableOverSymbolicBatch_MatchesFiniteDifferences()
    {
        double error = GradCheck.MaxRelativeError((g, x) => g.Add(x[0], x[1]), [R(2, 3, 4), R(1, 3, 4)],
            shapes: [[Dim.Sym("B"), 3, 4], [1, 3, 4]]);
        Assert.That(error, Is.LessThan(Tolerance));
    }

    [Test, ChecksRules("Add")]
    public void Add_BroadcastBothWays_MatchesFiniteDifferences() => Check((g, x) => g.Add(x[0], x[1]), R(3, 1), R(2, 1, 4));

    [Test, ChecksRules("Sub")]
    public void Sub_RankChangingBroadcastOfFirst_MatchesFiniteDifferences() => Check((g, x) => g.Sub(x[0], x[1]), R(4), R(2, 3, 4));

    [Test, ChecksRules("Sub")]
    public void Sub_BroadcastBothWays_MatchesFiniteDifferences() => Check((g, x) => g.Sub(x[0], x[1]), R(2, 1, 4), R(3, 1));

    [Test, ChecksRules("Mul")]
    public void Mul_BroadcastMiddle_MatchesFiniteDifferences() => Check((g, x) => g.Mul(x[0], x[1]), R(2, 3, 4), R(1, 3, 1));

    [Test, ChecksRules("Mul")]
    public void Mul_BroadcastBothWays_MatchesFiniteDifferences() => Check((g, x) => g.Mul(x[0], x[1]), R(1, 3), R(2, 1, 1));

    [Test, ChecksRules("Mul")]
    public void Mul_SameInputTwice_MatchesFiniteDifferences() => Check((g, x) => g.Mul(x[0], x[0]), R(2, 3));

    [Test, ChecksRules("Div")]
    public void Div_BroadcastDenominator_MatchesFiniteDifferences() => Check((g, x) => g.Div(x[0], x[1]), R(2, 3, 4), AwayFromZero(3, 1));

    [Test, ChecksRules("Div")]
    public void Div_RankChangingBroadcastOfNumerator_MatchesFiniteDifferences() =>
        Check((g, x) => g.Div(x[0], x[1]), R(4), AwayFromZero(2, 3, 4));

    [Test, ChecksRules("Pow")]
    public void Pow_BroadcastExponent_MatchesFiniteDifferences() => Check((g, x) => g.Pow(x[0], x[1]), Between(0.5, 2, 2, 3, 4), R(4));

    [Test, ChecksRules("Pow")]
    public void Pow_RankChangingBroadcastOfBase_MatchesFiniteDifferences() => Check((g, x) => g.Pow(x[0], x[1]), Between(0.5, 2, 3, 1), R(2, 3, 4));

    [Test, ChecksRules("Neg")]
    public void Neg_Tensor_MatchesFiniteDifferences() => Check((g, x) => g.Neg(x[0]), R(2, 3));

    [Test, ChecksRules("Abs")]
    public void Abs_AwayFromZero_MatchesFiniteDifferences() => Check((g, x) => g.Abs(x[0]), AwayFromZero(3, 4));

    [Test, ChecksRules("Sqrt")]
    public void Sqrt_PositiveInput_MatchesFiniteDifferences() => Check((g, x) => g.Sqrt(x[0]), Between(0.2, 2, 3, 4));

    [Test, ChecksRules("Log")]
    public void Log_PositiveInput_MatchesFiniteDifferences() => Check((g, x) => g.Log(x[0]), Between(0.2, 2, 3, 4));

    [Test, ChecksRules("Exp")]
    public void Exp_Tensor_MatchesFiniteDifferences() => Check((g, x) => g.Exp(x[0]), R(3, 4));

    [Test, ChecksRules("Tanh")]
    public void Tanh_Tensor_MatchesFiniteDifferences() => Check((g, x) => g.Tanh(g.Mul(x[0], 2.0)), R(3, 4));

    [Test, ChecksRules("Relu")]
    public void Relu_BothSignsAwayFromZero_MatchesFiniteDifferences() => Check((g, x) => g.Mul(g.Relu(x[0]), x[0]), AwayFromZero(3, 4));

    [Test, ChecksRules("Reciprocal")]
    public void Reciprocal_AwayFromZero_MatchesFiniteDifferences() => Check((g, x) => g.Reciprocal(x[0]), AwayFromZero(3, 4));

    [Test, ChecksRules("Where")]
    public void Where_ConditionFromLessWithBroadcast_MatchesFiniteDifferences() =>
        Check((g, x) => g.Where(g.Less(x[0], x[1]), g.Mul(x[0], x[2]), x[1]), R(2, 3, 4), R(3, 1), R(4));

    [Test, ChecksRules("Cast")]
    public void Cast_DoubleToDouble_MatchesFiniteDifferences() =>
        Check((g, x) => g.Mul(g.Emit1("Cast", [x[0]], [Attr.Int("to", (long)DType.Double)], DType.Double, x[0].Shape), x[1]), R(2, 3), R(2, 3));

    /// <summary>x on a 1/4096 grid and h = 2⁻¹⁰ keep x ± h exact in float32, so the float32 round trip adds no rounding.</summary>
    [Test, ChecksRules("Cast")]
    public void Cast_ThroughFloat32_MatchesFiniteDifferences()
    {
        var grid = HostTensor.Of([2, 3], _ => Math.Round((Rng.NextDouble() * 2 - 1) * 4096) / 4096);
        double error = GradCheck.MaxRelativeError((g, x) => g.Mul(g.Cast(g.Cast(x[0], DType.Float), DType.Double), x[1]),
            [grid, R(2, 3)], h: 1.0 / 1024);
        Assert.That(error, Is.LessThan(Tolerance));
    }

    /// <summary>ORT has no float64 Gelu kernel; it runs Gelu-20's function body (tanh form only: Erf has no float64 kernel).</summary>
    [Test, ChecksRules("Gelu")]
    public void Gelu_TanhApproximationInDouble_MatchesFiniteDifferences() => Check((g, x) => g.Gelu(x[0], "tanh"), HostTensor.Of([3, 5], i => -3 + 0.4 * i + 0.1 * Rng.NextDouble()));
}
