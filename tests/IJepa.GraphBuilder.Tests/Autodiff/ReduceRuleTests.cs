// Finite-difference checks of the reduction gradients (float64 through ORT CPU), static and symbolic shapes.
using IJepa.GraphBuilder.Core;
using IJepa.GraphBuilder.Tests.Support;

namespace IJepa.GraphBuilder.Tests.Autodiff;

public class ReduceRuleTests
{
    private const double Tolerance = 1e-5;
    private static readonly Random Rng = new(4);

    private static HostTensor R(params long[] shape) => HostTensor.Random(Rng, shape);

    private static void Check(Func<Graph, Value[], Value> f, HostTensor input, Dim[]? shape = null) =>
        Assert.That(GradCheck.MaxRelativeError(f, [input], shapes: shape is null ? null : [shape]), Is.LessThan(Tolerance));

    [TestCase(new long[] { 1 }, true)]
    [TestCase(new long[] { 1 }, false)]
    [TestCase(new long[] { 0, 2 }, true)]
    [TestCase(new long[] { 0, 2 }, false)]
    [TestCase(new long[] { -1 }, false)]
    [TestCase(new long[] { 0, 1, 2 }, false)]
    [TestCase(new long[0], true)]
    [ChecksRules("ReduceSum")]
    public void ReduceSum_AxesAndKeepDims_MatchesFiniteDifferences(long[] axes, bool keepDims) =>
        Check((g, x) => g.Mul(g.ReduceSum(x[0], axes, keepDims), g.ReduceSum(x[0], axes, keepDims)), R(2, 3, 4));

    [TestCase(new long[] { 1 }, true)]
    [TestCase(new long[] { 1 }, false)]
    [TestCase(new long[] { 0, 2 }, true)]
    [TestCase(new long[] { 2, 0 }, false)]
    [TestCase(new long[] { -2 }, false)]
    [ChecksRules("ReduceMean")]
    public void ReduceMean_AxesAndKeepDims_MatchesFiniteDifferences(long[] axes, bool keepDims) =>
        Check((g, x) => g.Mul(g.ReduceMean(x[0], axes, keepDims), g.ReduceMean(x[0], axes, keepDims)), R(2, 3, 4));

    /// <summary>A reduction over the symbolic batch axis: the mean's count comes from the runtime shape.</summary>
    [TestCase(true)]
    [TestCase(false)]
    [ChecksRules("ReduceMean")]
    public void ReduceMean_OverSymbolicAxis_MatchesFiniteDifferences(bool keepDims) =>
        Check((g, x) => g.Exp(g.ReduceMean(x[0], [0, 2], keepDims)), R(3, 2, 4), [Dim.Sym("B"), 2, 4]);

    [TestCase(true)]
    [TestCase(false)]
    [ChecksRules("ReduceSum")]
    public void ReduceSum_KeepingSymbolicAxis_MatchesFiniteDifferences(bool keepDims) =>
        Check((g, x) => g.Exp(g.ReduceSum(x[0], [1], keepDims)), R(3, 2, 4), [Dim.Sym("B"), 2, 4]);

    /// <summary>Axes computed at run time cannot be unreduced statically: the rule must refuse, not guess "all axes".</summary>
    [Test]
    public void ReduceSum_RuntimeAxes_GradientThrowsNotSupported()
    {
        var g = new Graph("runtime_axes");
        var x = g.Input("x", DType.Double, 2, 3);
        var axes = g.Input("axes", DType.Int64, 1);
        var sum = g.Emit1("ReduceSum", [x, axes], [Attr.Int("keepdims", 0)], x.Type, [2]);
        var loss = g.ReduceSum(g.Mul(sum, sum), [0], keepDims: false);

        Assert.Throws<NotSupportedException>(() => IJepa.GraphBuilder.Autodiff.Autodiff.Gradients(g, loss, [x]));
    }
}
