// Finite-difference checks of the index-op gradients (float64 through ORT CPU): duplicates must accumulate.
using IJepa.GraphBuilder.Core;
using IJepa.GraphBuilder.Tests.Support;

namespace IJepa.GraphBuilder.Tests.Autodiff;

public class GatherRuleTests
{
    private const double Tolerance = 1e-5;
    private static readonly Random Rng = new(6);

    private static HostTensor R(params long[] shape) => HostTensor.Random(Rng, shape);
    private static HostTensor Indices(long[] shape, params double[] values) => new(values, shape);

    private static void Check(Func<Graph, Value[], Value> f, HostTensor data, HostTensor indices) =>
        Assert.That(GradCheck.MaxRelativeError(f, [data, indices], differentiable: [true, false]), Is.LessThan(Tolerance));

    [Test, ChecksRules("Gather")]
    public void Gather_Axis0With2DIndicesAndDuplicates_MatchesFiniteDifferences() =>
        Check((g, x) => g.Tanh(g.Gather(x[0], x[1])), R(5, 3), Indices([3, 2], 0, 2, 2, 4, 0, 0));

    [Test, ChecksRules("Gather")]
    public void Gather_NegativeIndices_MatchesFiniteDifferences() =>
        Check((g, x) => g.Tanh(g.Gather(x[0], x[1])), R(4, 2, 3), Indices([3], -1, 1, 3));

    [Test, ChecksRules("GatherElements")]
    public void GatherElements_Axis1WithDuplicates_MatchesFiniteDifferences() =>
        Check((g, x) => g.Tanh(g.GatherElements(x[0], x[1], axis: 1)), R(2, 4, 3),
            HostTensor.Of([2, 5, 3], _ => Rng.Next(4)));

    /// <summary>Token selection as the mask gathers do it: x [B, N, D], index [B, K] → [B, K, D].</summary>
    [Test, ChecksRules("GatherElements")]
    public void GatherElements_TokenGatherWithDuplicates_MatchesFiniteDifferences() =>
        Check((g, x) => g.Tanh(g.GatherTokens(x[0], x[1])), R(2, 5, 3), Indices([2, 4], 0, 3, 3, 4, 1, 1, 1, 2));

    /// <summary>A position table gathered by symbolic [B, K] indices, as the predictor's position gathers do.</summary>
    [Test, ChecksRules("Gather")]
    public void Gather_SymbolicIndices_MatchesFiniteDifferences()
    {
        double error = GradCheck.MaxRelativeError((g, x) => g.Tanh(g.Gather(x[0], x[1])), [R(5, 3), Indices([2, 3], 4, 0, 4, 1, 1, 2)],
            differentiable: [true, false], shapes: [[5, 3], [Dim.Sym("B"), Dim.Sym("K")]]);
        Assert.That(error, Is.LessThan(Tolerance));
    }

    [Test, ChecksRules("GatherElements")]
    public void GatherElements_SymbolicTokenGather_MatchesFiniteDifferences()
    {
        double error = GradCheck.MaxRelativeError((g, x) => g.Tanh(g.GatherTokens(x[0], x[1])), [R(2, 5, 3), Indices([2, 3], 0, 4, 4, 2, 2, 1)],
            differentiable: [true, false], shapes: [[Dim.Sym("B"), 5, 3], [Dim.Sym("B"), Dim.Sym("K")]]);
        Assert.That(error, Is.LessThan(Tolerance));
    }
}
