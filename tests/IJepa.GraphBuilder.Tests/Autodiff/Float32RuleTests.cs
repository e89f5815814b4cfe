// Directional finite-difference checks of rules whose ops ORT runs only in float32 (Erf, exact GELU, FusedMatMul) or
// whose fused form keeps float32 statistics (LayerNormalization).
using IJepa.GraphBuilder.Core;
using IJepa.GraphBuilder.Tests.Support;

namespace IJepa.GraphBuilder.Tests.Autodiff;

public class Float32RuleTests
{
    // Measured errors are 4e-6…3e-5 (h = 3e-3); 2e-4 still catches an error of ~1e-3 in a rule's main term.
    private const double Tolerance = 2e-4;
    private static readonly Random Rng = new(3);

    private static HostTensor R(params long[] shape) => HostTensor.Random(Rng, shape);

    /// <summary>Values spread over [-3, 3] (both tails and the middle of GELU/erf).</summary>
    private static HostTensor Spread(params long[] shape) => HostTensor.Of(shape, _ => 6 * Rng.NextDouble() - 3);

    private static void Check(Func<Graph, Value[], Value> f, params HostTensor[] inputs) =>
        Assert.That(GradCheck.MaxDirectionalError(f, inputs), Is.LessThan(Tolerance));

    [Test, ChecksRules("Erf")]
    public void Erf_Float32_MatchesDirectionalDifferences() => Check((g, x) => g.Erf(x[0]), Spread(4, 6));

    [Test, ChecksRules("Gelu")]
    public void Gelu_ExactInFloat32_MatchesDirectionalDifferences() => Check((g, x) => g.Gelu(x[0], "none"), Spread(4, 6));

    [Test, ChecksRules("Gelu")]
    public void Gelu_TanhInFloat32_MatchesDirectionalDifferences() => Check((g, x) => g.Gelu(x[0], "tanh"), Spread(4, 6));

    [TestCase(false, false)]
    [TestCase(false, true)]
    [TestCase(true, false)]
    [TestCase(true, true)]
    [ChecksRules("FusedMatMul")]
    public void FusedMatMul_TransposeFlagsAndAlpha_MatchesDirectionalDifferences(bool transA, bool transB)
    {
        var a = transA ? R(2, 3, 4, 5) : R(2, 3, 5, 4);                                                  // op(A) [2, 3, 5, 4]
        var b = transB ? R(2, 3, 6, 4) : R(2, 3, 4, 6);                                                  // op(B) [2, 3, 4, 6]
        Check((g, x) => g.FusedMatMul(x[0], x[1], transA, transB, alpha: 0.35), a, b);
    }

    [Test, ChecksRules("FusedMatMul")]
    public void FusedMatMul_BroadcastBatch_MatchesDirectionalDifferences() =>
        Check((g, x) => g.FusedMatMul(x[0], x[1], transB: true, alpha: -1.5), R(2, 1, 3, 4), R(3, 5, 4));

    [Test, ChecksRules("Cast")]
    public void Cast_Float32ThroughFloat64_MatchesDirectionalDifferences() =>
        Check((g, x) => g.Cast(g.Tanh(g.Cast(x[0], DType.Double)), DType.Float), R(3, 4));

    [Test, ChecksRules("LayerNormalization")]
    public void LayerNormalization_FusedWithBias_MatchesDirectionalDifferences() =>
        Check((g, x) => g.LayerNormalization(x[0], x[1], x[2], 1e-6).Y, R(2, 3, 8), HostTensor.Of([8], _ => 0.5 + Rng.NextDouble()), R(8));

    [Test, ChecksRules("LayerNormalization")]
    public void LayerNormalization_FusedNoBias_MatchesDirectionalDifferences() =>
        Check((g, x) => g.LayerNormalization(x[0], x[1], null, 1e-5).Y, R(4, 6), HostTensor.Of([6], _ => 0.5 + Rng.NextDouble()));
}
