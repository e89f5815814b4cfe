// Test support: checks the autodiff gradient of a small function against central finite differences through ORT.
using IJepa.GraphBuilder.Autodiff;
using IJepa.GraphBuilder.Core;

namespace IJepa.GraphBuilder.Tests.Support;

public static class GradCheck
{
    /// <summary>
    /// Builds y = f(inputs), the scalar L = Σ y ⊙ w for a fixed random w, and dL/dinput for every differentiable input;
    /// returns the worst normwise relative error ‖analytic − numeric‖ / ‖numeric‖ over the inputs.
    /// </summary>
    public static double MaxRelativeError(
        Func<Graph, Value[], Value> f, IReadOnlyList<HostTensor> values, DType type = DType.Double,
        int seed = 0, double h = 1e-6, bool[]? differentiable = null, long[][]? intInputs = null)
    {
        var g = new Graph("check");
        var inputs = values.Select((v, i) => g.Input($"x{i}", differentiable is null || differentiable[i] ? type : DType.Int64, v.Shape.Select(Dim.Of).ToArray())).ToArray();
        var y = f(g, inputs);
        var w = g.Input("w", type, y.Shape);
        var loss = g.ReduceSum(g.Mul(y, w), Enumerable.Range(0, y.Rank).Select(i => (long)i).ToArray(), keepDims: false);
        var wrt = inputs.Where((_, i) => differentiable is null || differentiable[i]).ToArray();
        var grads = IJepa.GraphBuilder.Autodiff.Autodiff.Gradients(g, loss, wrt);
        g.Output(loss, "loss");
        foreach (var x in wrt) g.Output(grads[x], "grad." + x.Name);

        var rng = new Random(seed);
        var feed = values.Select((v, i) => (inputs[i].Name, v.Copy())).ToDictionary(p => p.Name, p => p.Item2);
        long[] yShape = y.Shape.Select(d => d.Size).ToArray();
        feed["w"] = HostTensor.Random(rng, yShape);
        using var eval = new OrtEval(g);
        var analytic = eval.Run(feed);

        double worst = 0;
        foreach (var x in wrt)
        {
            var t = feed[x.Name];
            var numeric = new double[t.Data.Length];
            for (int j = 0; j < t.Data.Length; j++)
            {
                double orig = t.Data[j];
                t.Data[j] = orig + h;
                double plus = eval.Run(feed)["loss"].Data[0];
                t.Data[j] = orig - h;
                double minus = eval.Run(feed)["loss"].Data[0];
                t.Data[j] = orig;
                numeric[j] = (plus - minus) / (2 * h);
            }
            worst = Math.Max(worst, RelativeError(analytic["grad." + x.Name].Data, numeric));
        }
        return worst;
    }

    /// <summary>‖a − b‖ / max(‖b‖, tiny).</summary>
    public static double RelativeError(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        double diff = 0, norm = 0;
        for (int i = 0; i < a.Count; i++) { diff += (a[i] - b[i]) * (a[i] - b[i]); norm += b[i] * b[i]; }
        return Math.Sqrt(diff) / Math.Max(Math.Sqrt(norm), 1e-300);
    }
}
