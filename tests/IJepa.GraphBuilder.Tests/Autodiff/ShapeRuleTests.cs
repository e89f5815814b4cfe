// Finite-difference checks of the shape-op gradients (float64 through ORT CPU).
using IJepa.GraphBuilder.Core;
using IJepa.GraphBuilder.Tests.Support;

namespace IJepa.GraphBuilder.Tests.Autodiff;

public class ShapeRuleTests
{
    private const double Tolerance = 1e-5;
    private static readonly Random Rng = new(5);

    private static HostTensor R(params long[] shape) => HostTensor.Random(Rng, shape);

    private static void Check(Func<Graph, Value[], Value> f, params HostTensor[] inputs) =>
        Assert.That(GradCheck.MaxRelativeError(f, inputs), Is.LessThan(Tolerance));

    /// <summary>The first input's leading axis declared as the symbol B.</summary>
    private static void CheckSymbolic(Func<Graph, Value[], Value> f, params HostTensor[] inputs)
    {
        var shapes = inputs.Select((t, i) => t.Shape.Select((d, j) => i == 0 && j == 0 ? Dim.Sym("B") : Dim.Of(d)).ToArray()).ToArray();
        Assert.That(GradCheck.MaxRelativeError(f, inputs, shapes: shapes), Is.LessThan(Tolerance));
    }

    // Each output is multiplied by a second input so that the weights w alone do not make the gradient trivial.

    [Test, ChecksRules("Reshape")]
    public void Reshape_CopyAndInferredDims_MatchesFiniteDifferences() =>
        Check((g, x) => g.Mul(g.Reshape(x[0], 0, -1), x[1]), R(2, 3, 4), R(2, 12));

    [Test, ChecksRules("Reshape")]
    public void Reshape_SymbolicBatch_MatchesFiniteDifferences()
    {
        double error = GradCheck.MaxRelativeError((g, x) => g.Tanh(g.Reshape(x[0], 0, -1)), [R(3, 2, 4)], shapes: [[Dim.Sym("B"), 2, 4]]);
        Assert.That(error, Is.LessThan(Tolerance));
    }

    [Test, ChecksRules("Transpose")]
    public void Transpose_Rotation_MatchesFiniteDifferences() =>
        Check((g, x) => g.Mul(g.Transpose(x[0], 2, 0, 1), x[1]), R(2, 3, 4), R(4, 2, 3));

    [Test, ChecksRules("Concat")]
    public void Concat_ThreePartsMiddleAxis_MatchesFiniteDifferences() =>
        Check((g, x) => g.Mul(g.Concat(1, x[0], x[1], x[2]), x[3]), R(2, 1, 3), R(2, 2, 3), R(2, 3, 3), R(2, 6, 3));

    [Test, ChecksRules("Concat")]
    public void Concat_SymbolicSizes_MatchesFiniteDifferences()
    {
        double error = GradCheck.MaxRelativeError((g, x) => g.Tanh(g.Concat(0, x[0], x[1], x[2])), [R(2, 3), R(1, 3), R(3, 3)],
            shapes: [[Dim.Sym("A"), 3], [1, 3], [Dim.Sym("C"), 3]]);
        Assert.That(error, Is.LessThan(Tolerance));
    }

    /// <summary>The middle part is unused: its zero gradient must still fill the middle of the input's gradient.</summary>
    [Test, ChecksRules("Split")]
    public void Split_UnusedMiddleOutput_MatchesFiniteDifferences() =>
        Check((g, x) =>
        {
            var parts = g.Split(x[0], 1, 1, 2, 3);                                   // [2, 1, 3], [2, 2, 3], [2, 3, 3]
            return g.Mul(parts[0], parts[2]);                                        // [2, 3, 3]
        }, R(2, 6, 3));

    [Test, ChecksRules("Split")]
    public void Split_OnlyLastOutputUsed_MatchesFiniteDifferences() =>
        Check((g, x) => g.Mul(g.Split(x[0], -1, 2, 2)[1], x[1]), R(3, 4), R(3, 2));

    [Test, ChecksRules("Slice")]
    public void Slice_NegativeAndPositiveBounds_MatchesFiniteDifferences() =>
        Check((g, x) => g.Mul(g.Slice(x[0], [1, -4], [-1, 5], [0, 2]), x[1]), R(4, 5, 6), R(2, 5, 3));

    [Test, ChecksRules("Slice")]
    public void Slice_OpenEndNegativeAxis_MatchesFiniteDifferences() =>
        Check((g, x) => g.Mul(g.Slice(x[0], [-3], [long.MaxValue], [-1]), x[1]), R(2, 5), R(2, 3));

    [Test, ChecksRules("Squeeze")]
    public void Squeeze_TwoAxesOneNegative_MatchesFiniteDifferences() =>
        Check((g, x) => g.Mul(g.Squeeze(x[0], 1, -1), x[1]), R(2, 1, 3, 1), R(2, 3));

    [Test, ChecksRules("Unsqueeze")]
    public void Unsqueeze_FrontAndBack_MatchesFiniteDifferences() =>
        Check((g, x) => g.Mul(g.Unsqueeze(x[0], 0, 3), x[1]), R(2, 3), R(2, 2, 3, 4));

    [Test, ChecksRules("Tile")]
    public void Tile_TwoAxes_MatchesFiniteDifferences() =>
        Check((g, x) => g.Mul(g.Tile(x[0], 2, 3), x[1]), R(2, 3), R(4, 9));

    [Test, ChecksRules("Tile")]
    public void Tile_ThreeAxesWithOnes_MatchesFiniteDifferences() =>
        Check((g, x) => g.Mul(g.Tile(x[0], 1, 2, 3), x[1]), R(2, 1, 3), R(2, 2, 9));

    [Test, ChecksRules("Tile")]
    public void Tile_SymbolicAxis_MatchesFiniteDifferences() => CheckSymbolic((g, x) => g.Tanh(g.Tile(x[0], 2, 1, 3)), R(3, 2, 4));

    [Test, ChecksRules("Slice")]
    public void Slice_NextToSymbolicAxis_MatchesFiniteDifferences() => CheckSymbolic((g, x) => g.Tanh(g.Slice(x[0], [1], [3], [2])), R(3, 2, 4));

    [Test, ChecksRules("Expand")]
    public void Expand_ToSymbolicBatch_MatchesFiniteDifferences() =>
        CheckSymbolic((g, x) => g.Mul(g.Expand(x[1], g.ShapeOf(x[0]), x[0].Shape), x[0]), R(3, 2, 4), R(2, 1));

    [Test, ChecksRules("Expand")]
    public void Expand_RankChanging_MatchesFiniteDifferences() =>
        Check((g, x) => g.Mul(g.Expand(x[0], g.Ints(2, 3, 4), [2, 3, 4]), x[1]), R(3, 1), R(2, 3, 4));

    [Test, ChecksRules("Expand")]
    public void Expand_SameRank_MatchesFiniteDifferences() =>
        Check((g, x) => g.Mul(g.Expand(x[0], g.Ints(3, 4), [3, 4]), x[1]), R(1, 4), R(3, 4));
}
