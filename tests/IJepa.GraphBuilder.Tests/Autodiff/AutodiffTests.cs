// Tests of the reverse-mode engine itself: disconnected inputs, missing rules, fan-out accumulation.
using IJepa.GraphBuilder.Autodiff;
using IJepa.GraphBuilder.Core;
using IJepa.GraphBuilder.Tests.Support;
using AD = IJepa.GraphBuilder.Autodiff.Autodiff;

namespace IJepa.GraphBuilder.Tests.Autodiff;

public class AutodiffTests
{
    private static readonly Random Rng = new(7);

    private static Value SumAll(Graph g, Value x) => g.ReduceSum(x, Enumerable.Range(0, x.Rank).Select(i => (long)i).ToArray(), keepDims: false);

    [Test]
    public void Gradients_WrtNotConnectedToLoss_IsZerosOfItsShape()
    {
        var g = new Graph("disconnected");
        var x = g.Input("x", DType.Double, 2, 3);
        var z = g.Input("z", DType.Double, Dim.Sym("B"), 4);
        var loss = SumAll(g, g.Mul(x, x));
        var grads = AD.Gradients(g, loss, [x, z]);
        g.Output(grads[z], "dz");
        using var eval = new OrtEval(g);

        var dz = eval.Run(new Dictionary<string, HostTensor> { ["x"] = HostTensor.Random(Rng, 2, 3), ["z"] = HostTensor.Random(Rng, 5, 4) })["dz"];

        Assert.That(dz.Shape, Is.EqualTo(new long[] { 5, 4 }));
        Assert.That(dz.Data, Is.All.EqualTo(0.0));
    }

    [Test]
    public void Gradients_OpWithoutRule_ThrowsNotSupportedNamingTheOp()
    {
        Assume.That(GradRules.For("Round"), Is.Null);
        var g = new Graph("norule");
        var x = g.Input("x", DType.Double, 3);
        var rounded = g.Emit1("Round", [x], [], x.Type, x.Shape);
        var loss = SumAll(g, g.Mul(rounded, x));

        var error = Assert.Throws<NotSupportedException>(() => AD.Gradients(g, loss, [x]));

        Assert.That(error!.Message, Does.Contain("Round").And.Contain(rounded.Producer!.Name));
    }

    [Test]
    public void Gradients_NonScalarLoss_Throws()
    {
        var g = new Graph("vector");
        var x = g.Input("x", DType.Double, 3);
        Assert.Throws<InvalidOperationException>(() => AD.Gradients(g, g.Mul(x, x), [x]));
    }

    /// <summary>y = x·x + x feeds x to three operand slots; dL/dx = Σ of the three contributions = (2x + 1) ⊙ dL/dy.</summary>
    [Test]
    public void Gradients_ValueWithSeveralConsumers_AccumulatesExactly()
    {
        var g = new Graph("fanout");
        var x = g.Input("x", DType.Double, 2, 3);
        var loss = SumAll(g, g.Add(g.Mul(x, x), x));
        g.Output(AD.Gradients(g, loss, [x])[x], "dx");
        using var eval = new OrtEval(g);
        var xs = HostTensor.Random(Rng, 2, 3);

        var dx = eval.Run(new Dictionary<string, HostTensor> { ["x"] = xs })["dx"];

        Assert.That(dx.Data, Is.EqualTo(xs.Data.Select(v => 2 * v + 1)).Within(1e-15));
    }

    [Test]
    public void Gradients_SharedIntermediateWithSeveralConsumers_MatchesFiniteDifferences()
    {
        double error = GradCheck.MaxRelativeError((g, x) =>
        {
            var a = g.Tanh(g.Mul(x[0], x[1]));                                          // [2, 3], used four times
            return g.Add(g.Mul(a, g.Exp(a)), g.Sub(g.Softmax(a), g.Mul(a, x[0])));
        }, [HostTensor.Random(Rng, 2, 3), HostTensor.Random(Rng, 3)]);
        Assert.That(error, Is.LessThan(1e-5));
    }
}
