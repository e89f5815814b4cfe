// Finite-difference checks of the matrix-product, softmax and (primitive) layer-norm gradients (float64 through ORT CPU).
using IJepa.GraphBuilder.Core;
using IJepa.GraphBuilder.Tests.Support;

namespace IJepa.GraphBuilder.Tests.Autodiff;

public class NnRuleTests
{
    private const double Tolerance = 1e-5;
    private static readonly Random Rng = new(2);

    private static HostTensor R(params long[] shape) => HostTensor.Random(Rng, shape);

    private static void Check(Func<Graph, Value[], Value> f, params HostTensor[] inputs) =>
        Assert.That(GradCheck.MaxRelativeError(f, inputs), Is.LessThan(Tolerance));

    [Test, ChecksRules("MatMul")]
    public void MatMul_TokensTimesWeight_MatchesFiniteDifferences() => Check((g, x) => g.MatMul(x[0], x[1]), R(2, 3, 4), R(4, 5));

    [Test, ChecksRules("MatMul")]
    public void MatMul_SymbolicBatchTimesWeight_MatchesFiniteDifferences()
    {
        double error = GradCheck.MaxRelativeError((g, x) => g.MatMul(x[0], x[1]), [R(2, 3, 4), R(4, 5)],
            shapes: [[Dim.Sym("B"), 3, 4], [4, 5]]);
        Assert.That(error, Is.LessThan(Tolerance));
    }

    [Test, ChecksRules("MatMul")]
    public void MatMul_AttentionScores4D_MatchesFiniteDifferences() => Check((g, x) => g.MatMul(x[0], x[1]), R(2, 2, 3, 4), R(2, 2, 4, 3));

    [Test, ChecksRules("MatMul")]
    public void MatMul_BroadcastBatchBothWays_MatchesFiniteDifferences() => Check((g, x) => g.MatMul(x[0], x[1]), R(2, 1, 3, 4), R(2, 4, 5));

    [Test, ChecksRules("MatMul")]
    public void MatMul_MatrixTimesBatch_MatchesFiniteDifferences() => Check((g, x) => g.MatMul(x[0], x[1]), R(3, 4), R(2, 4, 5));

    [TestCase(false, false)]
    [TestCase(false, true)]
    [TestCase(true, false)]
    [TestCase(true, true)]
    [ChecksRules("Gemm")]
    public void Gemm_TransposeFlagsWithBiasAndScales_MatchesFiniteDifferences(bool transA, bool transB)
    {
        const int m = 3, k = 4, n = 5;
        var a = transA ? R(k, m) : R(m, k);
        var b = transB ? R(n, k) : R(k, n);
        Check((g, x) => g.Gemm(x[0], x[1], x[2], transA, transB, alpha: 0.7, beta: 1.3), a, b, R(n));
    }

    [Test, ChecksRules("Gemm")]
    public void Gemm_FullBiasNoScales_MatchesFiniteDifferences() => Check((g, x) => g.Gemm(x[0], x[1], x[2]), R(3, 4), R(4, 5), R(3, 5));

    [Test, ChecksRules("Gemm")]
    public void Gemm_ColumnBias_MatchesFiniteDifferences() => Check((g, x) => g.Gemm(x[0], x[1], x[2], transA: true, beta: 0.5), R(4, 3), R(4, 5), R(3, 1));

    [Test, ChecksRules("Gemm")]
    public void Gemm_NoBias_MatchesFiniteDifferences() => Check((g, x) => g.Gemm(x[0], x[1], transB: true, alpha: -1.5), R(3, 4), R(5, 4));

    [Test, ChecksRules("Softmax")]
    public void Softmax_LastAxis_MatchesFiniteDifferences() => Check((g, x) => g.Softmax(g.Mul(x[0], 3.0)), R(2, 3, 4));

    [Test, ChecksRules("Softmax")]
    public void Softmax_MiddleAxis_MatchesFiniteDifferences() => Check((g, x) => g.Softmax(g.Mul(x[0], 3.0), axis: 1), R(2, 3, 4));

    /// <summary>The fused op's statistics are float32 even for float64 input (docs/architecture.md §5), so float64 builds LN from primitives.</summary>
    [Test, ChecksRules("ReduceMean", "Sub", "Mul", "Add", "Sqrt", "Reciprocal")]
    public void LayerNorm_FromPrimitives_MatchesFiniteDifferences() =>
        Check((g, x) => PrimitiveLayerNorm(g, x[0], x[1], x[2], 1e-6), R(2, 3, 8), HostTensor.Of([8], _ => 0.5 + Rng.NextDouble()), R(8));

    /// <summary>Layer normalisation over the last axis from ReduceMean/Sub/Mul/Sqrt/Reciprocal (float64-capable).</summary>
    public static Value PrimitiveLayerNorm(Graph g, Value x, Value scale, Value bias, double eps)
    {
        var centered = g.Sub(x, g.ReduceMean(x, [-1]));                                  // [..., D]
        var variance = g.ReduceMean(g.Mul(centered, centered), [-1]);                    // [..., 1]
        var inv = g.Reciprocal(g.Sqrt(g.Add(variance, eps)));                            // [..., 1]
        return g.Add(g.Mul(g.Mul(centered, inv), scale), bias);
    }
}
