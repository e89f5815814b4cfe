// Reverse-mode automatic differentiation over a built graph: emits the gradient graph as standard ONNX ops.
using IJepa.GraphBuilder.Core;

namespace IJepa.GraphBuilder.Autodiff;

public static class Autodiff
{
    /// <summary>
    /// Appends to <paramref name="graph"/> the gradient of the scalar <paramref name="loss"/> with respect to each of
    /// <paramref name="wrt"/>, one vector-Jacobian rule per node (<see cref="GradRules"/>). A value with no path to the
    /// loss gets an explicit zero gradient.
    /// </summary>
    public static IReadOnlyDictionary<Value, Value> Gradients(Graph graph, Value loss, IReadOnlyList<Value> wrt)
    {
        if (loss.Rank != 0) throw new InvalidOperationException($"loss must be a scalar: {loss}");
        var requiresGrad = RequiresGrad(graph, wrt);
        var grads = new Dictionary<Value, Value> { [loss] = graph.ScalarLike(loss, 1.0) };
        var forward = graph.Nodes.ToList();                 // the backward appends nodes; walk the forward ones only
        for (int n = forward.Count - 1; n >= 0; n--)
        {
            var node = forward[n];
            var dOut = node.Outputs.Select(o => grads.GetValueOrDefault(o)).ToArray();
            if (dOut.All(d => d is null) || !node.Inputs.Any(i => i is not null && requiresGrad.Contains(i))) continue;
            var rule = GradRules.For(node.OpType)
                ?? throw new NotSupportedException($"no gradient rule for op {node.OpType} (node {node.Name})");
            Value?[] dIn;
            using (graph.Scope(ScopeOf(node) is { Length: > 0 } s ? "grad." + s : "grad"))
                dIn = rule(new GradContext(graph, node, requiresGrad), dOut);
            for (int i = 0; i < node.Inputs.Length; i++)
            {
                var input = node.Inputs[i];
                if (input is null || i >= dIn.Length || dIn[i] is null || !requiresGrad.Contains(input)) continue;
                if (!Shape.SameAs(dIn[i]!.Shape, input.Shape))
                    throw new InvalidOperationException($"{node.OpType} rule gave {Shape.Format(dIn[i]!.Shape)} for input {input}");
                grads[input] = grads.TryGetValue(input, out var sum) ? graph.Add(sum, dIn[i]!) : dIn[i]!;
            }
        }
        return wrt.ToDictionary(w => w, w => grads.TryGetValue(w, out var g) ? g : graph.ZerosLike(w));
    }

    /// <summary>The floating values that depend on any of <paramref name="wrt"/>.</summary>
    private static HashSet<Value> RequiresGrad(Graph graph, IReadOnlyList<Value> wrt)
    {
        var set = new HashSet<Value>(wrt);
        foreach (var node in graph.Nodes)
            if (node.Inputs.Any(i => i is not null && set.Contains(i)))
                foreach (var o in node.Outputs.Where(o => o.Type.IsFloating())) set.Add(o);
        return set;
    }

    private static string ScopeOf(Node node) => node.Name.Contains('/') ? node.Name[..node.Name.LastIndexOf('/')] : "";
}

/// <summary>What a rule sees: the graph to emit into, the forward node, which inputs need a gradient.</summary>
public sealed class GradContext(Graph graph, Node node, HashSet<Value> requiresGrad)
{
    public Graph G { get; } = graph;
    public Node Node { get; } = node;
    public Value X(int i) => Node.Inputs[i]!;
    public Value Y(int i = 0) => Node.Outputs[i];
    public bool Needs(int i) => Node.Inputs.Length > i && Node.Inputs[i] is { } v && requiresGrad.Contains(v);

    /// <summary>Sums a broadcast gradient back to the shape of <paramref name="to"/> (numpy broadcasting in reverse).</summary>
    public Value Unbroadcast(Value grad, Value to)
    {
        if (Shape.SameAs(grad.Shape, to.Shape)) return grad;
        int lead = grad.Rank - to.Rank;
        var axes = new List<long>();
        for (int i = 0; i < grad.Rank; i++)
            if (i < lead || (to.Shape[i - lead].IsOne && !grad.Shape[i].IsOne)) axes.Add(i);
        if (axes.Count > 0 && axes.Count < grad.Rank && axes.SequenceEqual(Enumerable.Range(0, axes.Count).Select(i => (long)i))
            && to.Shape.All(d => d.IsKnown))
            return G.Reshape(G.SumLeading(grad, axes.Count), to.Shape.Select(d => d.Size).ToArray());  // leading axes: a GEMV
        var summed = axes.Count > 0 ? G.ReduceSum(grad, axes.ToArray(), keepDims: true) : grad;
        return Shape.SameAs(summed.Shape, to.Shape) ? summed : G.ReshapeLike(summed, to);
    }
}
