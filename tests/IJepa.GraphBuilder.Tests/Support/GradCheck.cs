// Test support: checks autodiff gradients of a small function against finite differences through ORT.
using System.Collections.Concurrent;
using IJepa.GraphBuilder.Core;

namespace IJepa.GraphBuilder.Tests.Support;

/// <summary>
/// Both checks build y = f(inputs), the scalar L = Σ y ⊙ w for a fixed random w (summed in float64 whatever the
/// type of y), and dL/dinput for every differentiable input with <c>Autodiff.Gradients</c>; then they compare that
/// gradient with central differences of L, y = f(inputs) being evaluated by ORT.
/// </summary>
public static class GradCheck
{
    /// <summary>
    /// Element-wise central differences (for float64): returns the worst normwise relative error
    /// ‖analytic − numeric‖ / ‖numeric‖ over the differentiable inputs.
    /// </summary>
    /// <param name="differentiable">false marks an int64 input (indices); default: all inputs are of <paramref name="type"/>.</param>
    /// <param name="shapes">declared (possibly symbolic) input shapes; default: the shapes of <paramref name="values"/>.</param>
    public static double MaxRelativeError(
        Func<Graph, Value[], Value> f, IReadOnlyList<HostTensor> values, DType type = DType.Double,
        int seed = 0, double h = 1e-6, bool[]? differentiable = null, Dim[][]? shapes = null)
    {
        using var check = Setup.Build(f, values, type, seed, differentiable, shapes);
        double worst = 0;
        foreach (var name in check.Wrt)
        {
            var t = check.Feed[name];
            var numeric = new double[t.Data.Length];
            for (int j = 0; j < t.Data.Length; j++)
            {
                double orig = t.Data[j];
                t.Data[j] = orig + h;
                double plus = check.Loss();
                t.Data[j] = orig - h;
                double minus = check.Loss();
                t.Data[j] = orig;
                numeric[j] = (plus - minus) / (2 * h);
            }
            worst = Math.Max(worst, RelativeError(check.Gradient(name), numeric));
        }
        return Report("element-wise", worst);
    }

    /// <summary>
    /// Directional central differences (for float32, where element-wise differences drown in rounding): for random
    /// directions v over all differentiable inputs, compares ⟨∇L, v⟩ with (L(x + hv) − L(x − hv)) / 2h and returns
    /// ‖analytic − numeric‖ / ‖numeric‖ over the directions. The perturbed points are rounded to <paramref name="type"/>
    /// first, and v is taken as their actual difference, so input rounding adds no error.
    /// </summary>
    public static double MaxDirectionalError(
        Func<Graph, Value[], Value> f, IReadOnlyList<HostTensor> values, DType type = DType.Float,
        int directions = 6, double h = 3e-3, int seed = 0, bool[]? differentiable = null, Dim[][]? shapes = null)
    {
        using var check = Setup.Build(f, values, type, seed, differentiable, shapes);
        var rng = new Random(seed + 1);
        var center = check.Wrt.ToDictionary(n => n, n => (double[])check.Feed[n].Data.Clone());
        var analytic = new double[directions];
        var numeric = new double[directions];
        for (int k = 0; k < directions; k++)
        {
            var plus = new Dictionary<string, double[]>();
            var minus = new Dictionary<string, double[]>();
            foreach (var name in check.Wrt)
            {
                var x = center[name];
                var v = x.Select(_ => rng.NextDouble() * 2 - 1).ToArray();
                plus[name] = x.Select((xi, j) => RoundTo(type, xi + h * v[j])).ToArray();
                minus[name] = x.Select((xi, j) => RoundTo(type, xi - h * v[j])).ToArray();
                var grad = check.Gradient(name);
                for (int j = 0; j < x.Length; j++) analytic[k] += grad[j] * (plus[name][j] - minus[name][j]) / (2 * h);
            }
            foreach (var name in check.Wrt) plus[name].CopyTo(check.Feed[name].Data, 0);
            double lPlus = check.Loss();
            foreach (var name in check.Wrt) minus[name].CopyTo(check.Feed[name].Data, 0);
            double lMinus = check.Loss();
            numeric[k] = (lPlus - lMinus) / (2 * h);
        }
        return Report("directional", RelativeError(analytic, numeric));
    }

    /// <summary>‖a − b‖ / max(‖b‖, tiny).</summary>
    public static double RelativeError(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        double diff = 0, norm = 0;
        for (int i = 0; i < a.Count; i++) { diff += (a[i] - b[i]) * (a[i] - b[i]); norm += b[i] * b[i]; }
        return Math.Sqrt(diff) / Math.Max(Math.Sqrt(norm), 1e-300);
    }

    /// <summary>The forward op types of every graph checked during the test <paramref name="testId"/> (removed on read).</summary>
    public static IReadOnlySet<string> TakeCheckedOpTypes(string testId) =>
        CheckedOpTypes.TryRemove(testId, out var ops) ? ops : new HashSet<string>();

    private static readonly ConcurrentDictionary<string, HashSet<string>> CheckedOpTypes = new();

    private static double RoundTo(DType type, double v) => type == DType.Float ? (float)v : v;

    private static double Report(string kind, double error)
    {
        TestContext.Out.WriteLine($"gradcheck {TestContext.CurrentContext.Test.Name}: {kind} relative error {error:E2}");
        return error;
    }

    /// <summary>
    /// The checked function in two ORT sessions: forward only (y, for the finite differences; L = Σ y ⊙ w is summed
    /// here in float64) and forward + backward (the analytic gradients at the feed).
    /// </summary>
    private sealed class Setup : IDisposable
    {
        private readonly OrtEval _forward;
        private readonly double[] _w;
        private readonly Dictionary<string, HostTensor> _analytic;

        private Setup(OrtEval forward, OrtEval backward, Dictionary<string, HostTensor> feed, double[] w, string[] wrt)
        {
            _forward = forward; _w = w; Feed = feed; Wrt = wrt;
            feed["w"] = new HostTensor(w, forward.Run(feed)["y"].Shape);
            using (backward) _analytic = backward.Run(feed);
        }

        public Dictionary<string, HostTensor> Feed { get; }
        public string[] Wrt { get; }
        public double[] Gradient(string input) => _analytic["grad." + input].Data;
        public void Dispose() => _forward.Dispose();

        public double Loss()
        {
            var y = _forward.Run(Feed)["y"].Data;
            double sum = 0;
            for (int i = 0; i < y.Length; i++) sum += y[i] * _w[i];
            return sum;
        }

        public static Setup Build(Func<Graph, Value[], Value> f, IReadOnlyList<HostTensor> values, DType type,
                                  int seed, bool[]? differentiable, Dim[][]? shapes)
        {
            bool Differentiable(int i) => differentiable is null || differentiable[i];
            var feed = values.Select((v, i) => ($"x{i}", Differentiable(i) ? Rounded(v, type) : v.Copy())).ToDictionary(p => p.Item1, p => p.Item2);
            Value[] Inputs(Graph g) => values.Select((v, i) => g.Input($"x{i}", Differentiable(i) ? type : DType.Int64,
                shapes?[i] ?? v.Shape.Select(Dim.Of).ToArray())).ToArray();

            var fg = new Graph("check_forward");
            fg.Output(f(fg, Inputs(fg)), "y");
            Record(fg.Nodes.Select(n => n.OpType));
            var forward = new OrtEval(fg);
            int count = forward.Run(feed)["y"].Data.Length;

            var g = new Graph("check_backward");
            var inputs = Inputs(g);
            var y = f(g, inputs);
            var w = g.Input("w", DType.Double, y.Shape);
            var loss = g.ReduceSum(g.Mul(g.Cast(y, DType.Double), w), Enumerable.Range(0, y.Rank).Select(i => (long)i).ToArray(), keepDims: false);
            var wrt = inputs.Where((_, i) => Differentiable(i)).ToArray();
            var grads = IJepa.GraphBuilder.Autodiff.Autodiff.Gradients(g, loss, wrt);
            foreach (var x in wrt) g.Output(grads[x], "grad." + x.Name);

            var rng = new Random(seed);
            return new Setup(forward, new OrtEval(g), feed, Enumerable.Range(0, count).Select(_ => rng.NextDouble() * 2 - 1).ToArray(),
                             wrt.Select(x => x.Name).ToArray());
        }

        private static void Record(IEnumerable<string> opTypes)
        {
            var ops = CheckedOpTypes.GetOrAdd(TestContext.CurrentContext.Test.ID, _ => []);
            lock (ops) ops.UnionWith(opTypes);
        }

        private static HostTensor Rounded(HostTensor v, DType type) =>
            new(v.Data.Select(x => RoundTo(type, x)).ToArray(), v.Shape);
    }
}
