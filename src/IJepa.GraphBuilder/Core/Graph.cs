// A typed ONNX graph under construction: inputs, parameters, nodes, outputs and the naming scope.
namespace IJepa.GraphBuilder.Core;

/// <summary>
/// Builds one ONNX graph. Values carry dtype and symbolic shape; op methods (Graph.*.cs) append nodes.
/// Names are deterministic: parameters get their scoped state-dict key, intermediates a counter.
/// </summary>
public sealed partial class Graph(string name)
{
    private readonly List<Node> _nodes = [];
    private readonly List<Value> _inputs = [];
    private readonly List<(Value Value, string Name)> _outputs = [];
    private readonly List<Parameter> _parameters = [];
    private readonly List<(string Name, bool? Trainable)> _scopes = [];
    private readonly HashSet<string> _names = [];
    private readonly Dictionary<string, Value> _constants = [];
    private readonly Dictionary<string, Value> _shapeValues = [];
    private int _counter;

    public string Name { get; } = name;
    public IReadOnlyList<Node> Nodes => _nodes;
    public IReadOnlyList<Value> Inputs => _inputs;
    public IReadOnlyList<(Value Value, string Name)> Outputs => _outputs;
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>Enters a naming scope ("encoder", "blocks.3", …); <paramref name="trainable"/> = false freezes everything under it.</summary>
    public IDisposable Scope(string name, bool? trainable = null)
    {
        _scopes.Add((name, trainable));
        return new ScopeExit(this, _scopes.Count);
    }

    public IDisposable Scope(string name, int index) => Scope($"{name}.{index}");

    /// <summary>The current scope path joined with dots, plus <paramref name="leaf"/>.</summary>
    public string Qualify(string leaf) => string.Join('.', _scopes.Select(s => s.Name).Append(leaf).Where(s => s.Length > 0));

    private bool ScopeTrainable => _scopes.Select(s => s.Trainable).LastOrDefault(t => t.HasValue) ?? true;

    public Value Input(string name, DType type, params Dim[] shape)
    {
        var v = new Value(this, Claim(name), type, shape, null);
        _inputs.Add(v);
        return v;
    }

    /// <summary>A parameter: a graph input named by the scoped state-dict key.</summary>
    public Value Parameter(string leaf, DType type, Dim[] shape, InitRule init, bool trainable = true)
    {
        var v = Input(Qualify(leaf), type, shape);
        _parameters.Add(new Parameter(v, init, trainable && ScopeTrainable));
        return v;
    }

    /// <summary>
    /// Marks <paramref name="value"/> as a graph output called <paramref name="name"/>. A node's value that is not yet an
    /// output is renamed in place (no copy); a graph input or a value already output under another name gets an Identity.
    /// </summary>
    public void Output(Value value, string name)
    {
        if (_inputs.Contains(value) || _outputs.Any(o => o.Value == value))
            value = Rename(Emit1("Identity", [value], [], value.Type, value.Shape), name);
        else if (value.Name != name)
            Rename(value, name);
        _outputs.Add((value, name));
    }

    private Value Rename(Value v, string name)
    {
        _names.Remove(v.Name);
        v.Name = Claim(name);
        return v;
    }

    /// <summary>Appends a node; <paramref name="outputs"/> gives each output's dtype and shape.</summary>
    public Node Emit(string opType, Value?[] inputs, Attr[] attributes, params (DType Type, Dim[] Shape)[] outputs) =>
        EmitIn("", opType, inputs, attributes, outputs);

    /// <summary>Appends a node of operator set <paramref name="domain"/> ("" for standard ONNX).</summary>
    public Node EmitIn(string domain, string opType, Value?[] inputs, Attr[] attributes, params (DType Type, Dim[] Shape)[] outputs)
    {
        foreach (var input in inputs)
            if (input is not null && input.Graph != this) throw new InvalidOperationException($"{input.Name} belongs to graph {input.Graph.Name}");
        int id = _counter++;
        string prefix = string.Join('.', _scopes.Select(s => s.Name));
        string stem = prefix.Length > 0 ? $"{prefix}/{opType}_{id}" : $"{opType}_{id}";
        var node = new Node(stem, domain, opType, inputs, attributes);
        node.Outputs = outputs.Select((o, i) => new Value(this, Claim(outputs.Length == 1 ? stem : $"{stem}:{i}"), o.Type, o.Shape, node)).ToArray();
        _nodes.Add(node);
        return node;
    }

    public Value Emit1(string opType, Value?[] inputs, Attr[] attributes, DType type, Dim[] shape) =>
        Emit(opType, inputs, attributes, (type, shape)).Outputs[0];

    private string Claim(string name) =>
        _names.Add(name) ? name : throw new InvalidOperationException($"duplicate value name '{name}' in graph {Name}");

    private sealed class ScopeExit(Graph graph, int depth) : IDisposable
    {
        public void Dispose()
        {
            if (graph._scopes.Count != depth) throw new InvalidOperationException("scopes closed out of order");
            graph._scopes.RemoveAt(depth - 1);
        }
    }
}
