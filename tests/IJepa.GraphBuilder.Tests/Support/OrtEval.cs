// Test support: runs a built graph through ONNX Runtime (CPU) on plain arrays.
using IJepa.GraphBuilder.Core;
using IJepa.GraphBuilder.Onnx;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace IJepa.GraphBuilder.Tests.Support;

/// <summary>A tensor of doubles (or of floats/longs when the graph input asks for them) with its shape.</summary>
public sealed record HostTensor(double[] Data, long[] Shape)
{
    public static HostTensor Of(long[] shape, Func<int, double> fill)
    {
        long n = shape.Aggregate(1L, (a, b) => a * b);
        return new(Enumerable.Range(0, (int)n).Select(fill).ToArray(), shape);
    }

    public static HostTensor Random(Random rng, params long[] shape) => Of(shape, _ => rng.NextDouble() * 2 - 1);
    public HostTensor Copy() => new((double[])Data.Clone(), Shape);
}

/// <summary>One ORT session over a graph; <see cref="Run"/> feeds named inputs and returns every output as doubles.</summary>
public sealed class OrtEval : IDisposable
{
    private readonly InferenceSession _session;
    private readonly Graph _graph;

    public OrtEval(Graph graph, GraphOptimizationLevel level = GraphOptimizationLevel.ORT_ENABLE_ALL)
    {
        _graph = graph;
        using var options = new SessionOptions { GraphOptimizationLevel = level, IntraOpNumThreads = 1 };
        _session = new InferenceSession(OnnxWriter.ToBytes(graph), options);
    }

    public Dictionary<string, HostTensor> Run(IReadOnlyDictionary<string, HostTensor> inputs)
    {
        var feeds = new List<NamedOnnxValue>();
        foreach (var input in _graph.Inputs)
        {
            if (!inputs.TryGetValue(input.Name, out var t)) throw new ArgumentException($"missing input {input.Name}");
            var dims = t.Shape.Select(d => (int)d).ToArray();
            feeds.Add(input.Type switch
            {
                DType.Double => NamedOnnxValue.CreateFromTensor(input.Name, new DenseTensor<double>(t.Data, dims)),
                DType.Float => NamedOnnxValue.CreateFromTensor(input.Name, new DenseTensor<float>(t.Data.Select(v => (float)v).ToArray(), dims)),
                DType.Int64 => NamedOnnxValue.CreateFromTensor(input.Name, new DenseTensor<long>(t.Data.Select(v => (long)v).ToArray(), dims)),
                _ => throw new NotSupportedException(input.Type.ToString()),
            });
        }
        using var results = _session.Run(feeds);
        var outputs = new Dictionary<string, HostTensor>();
        foreach (var r in results)
        {
            outputs[r.Name] = r.Value switch
            {
                DenseTensor<double> d => new(d.ToArray(), d.Dimensions.ToArray().Select(x => (long)x).ToArray()),
                DenseTensor<float> f => new(f.ToArray().Select(v => (double)v).ToArray(), f.Dimensions.ToArray().Select(x => (long)x).ToArray()),
                DenseTensor<long> l => new(l.ToArray().Select(v => (double)v).ToArray(), l.Dimensions.ToArray().Select(x => (long)x).ToArray()),
                _ => throw new NotSupportedException(r.Value.GetType().Name),
            };
        }
        return outputs;
    }

    public void Dispose() => _session.Dispose();
}
