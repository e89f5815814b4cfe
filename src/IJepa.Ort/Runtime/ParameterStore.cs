// The parameter store: one flat buffer per role, OrtValue views at manifest offsets, ping-pong for the optimizer.
using System.Numerics.Tensors;
using IJepa.GraphBuilder.Recipes;
using Microsoft.ML.OnnxRuntime;

namespace IJepa.Ort.Runtime;

/// <summary>
/// Trainable parameters, their gradients and Adam moments (two copies of params/m/v: AdamW reads one side and writes the
/// other), the EMA target encoder and the fixed position tables, each a flat 64-byte-aligned buffer. Every tensor view
/// is created once here; the store owns and disposes all of them.
/// </summary>
public sealed class ParameterStore : IDisposable
{
    private readonly NativeBuffer<float>[] _params, _m, _v;
    private readonly Dictionary<string, OrtValue>[] _paramViews = [[], []];
    private readonly Dictionary<string, OrtValue> _gradViews = [];
    private readonly List<IDisposable> _owned = [];

    public ParameterStore(Manifest manifest)
    {
        Manifest = manifest;
        long trainable = manifest.BufferLengths[ParamBuffer.Trainable];
        _params = [Own(new NativeBuffer<float>(trainable)), Own(new NativeBuffer<float>(trainable))];
        _m = [Own(new NativeBuffer<float>(trainable)), Own(new NativeBuffer<float>(trainable))];
        _v = [Own(new NativeBuffer<float>(trainable)), Own(new NativeBuffer<float>(trainable))];
        Grads = Own(new NativeBuffer<float>(trainable));
        DecayMask = Own(new NativeBuffer<float>(trainable));
        Target = Own(new NativeBuffer<float>(manifest.BufferLengths[ParamBuffer.Target]));
        Frozen = Own(new NativeBuffer<float>(manifest.BufferLengths[ParamBuffer.Frozen]));

        // The target encoder mirrors the encoder: same order, same offsets, so EMA is one pass over a prefix.
        EncoderLength = manifest.Parameters.Where(p => p.Role == ArtifactNames.PredictorScope && p.Buffer == ParamBuffer.Trainable).Select(p => p.Offset).DefaultIfEmpty(trainable).Min();
        if (EncoderLength != Target.Length) throw new InvalidOperationException($"manifest: encoder part ({EncoderLength}) and target buffer ({Target.Length}) differ");

        foreach (var p in manifest.Parameters)
        {
            for (int side = 0; side < 2; side++)
                _paramViews[side][p.Name] = Own(BufferOf(p, side).View(p.Offset, p.Shape));
            if (p.Trainable)
            {
                _gradViews[ArtifactNames.Grad(p.Name)] = Own(Grads.View(p.Offset, p.Shape));
                if (p.WeightDecay) DecayMask.Slice(p.Offset, p.Count).Fill(1f);
            }
        }
        FlatParams = [Own(_params[0].View(0, [trainable])), Own(_params[1].View(0, [trainable]))];
        FlatM = [Own(_m[0].View(0, [trainable])), Own(_m[1].View(0, [trainable]))];
        FlatV = [Own(_v[0].View(0, [trainable])), Own(_v[1].View(0, [trainable]))];
        FlatGrads = Own(Grads.View(0, [trainable]));
        FlatDecayMask = Own(DecayMask.View(0, [trainable]));
    }

    public Manifest Manifest { get; }
    /// <summary>Which side (0/1) holds the current trainable parameters and moments.</summary>
    public int Current { get; private set; }
    public NativeBuffer<float> Grads { get; }
    public NativeBuffer<float> DecayMask { get; }
    public NativeBuffer<float> Target { get; }
    public NativeBuffer<float> Frozen { get; }
    public long EncoderLength { get; }
    public OrtValue[] FlatParams { get; }
    public OrtValue[] FlatM { get; }
    public OrtValue[] FlatV { get; }
    public OrtValue FlatGrads { get; }
    public OrtValue FlatDecayMask { get; }

    public NativeBuffer<float> Params(int side) => _params[side];
    public NativeBuffer<float> M(int side) => _m[side];
    public NativeBuffer<float> V(int side) => _v[side];

    /// <summary>The view of a parameter as seen when <paramref name="side"/> is current (target and frozen: the same on both).</summary>
    public OrtValue View(string name, int side) => _paramViews[side].TryGetValue(name, out var v) ? v
        : throw new KeyNotFoundException($"parameter store has no parameter {name}");

    public OrtValue GradView(string gradName) => _gradViews[gradName];

    /// <summary>The current values of a parameter (in its role's buffer).</summary>
    public Span<float> Tensor(string name)
    {
        var p = Manifest[name];
        return BufferOf(p, Current).Slice(p.Offset, p.Count);
    }

    /// <summary>The current Adam first moment of a trainable parameter.</summary>
    public Span<float> MomentM(string name) => _m[Current].Slice(Manifest[name].Offset, Manifest[name].Count);

    /// <summary>The current Adam second moment of a trainable parameter.</summary>
    public Span<float> MomentV(string name) => _v[Current].Slice(Manifest[name].Offset, Manifest[name].Count);

    /// <summary>Initialises every parameter by its rule; the target encoder starts as an exact copy of the encoder.</summary>
    public void Initialize(ulong seed)
    {
        foreach (var p in Manifest.Parameters.Where(p => p.Buffer != ParamBuffer.Target))
            ParameterInit.Fill(p, Tensor(p.Name), seed, Manifest.Spec.Encoder.GridSize);
        _params[Current].Slice(0, EncoderLength).CopyTo(Target.Span);
        _m[Current].Span.Clear();
        _v[Current].Span.Clear();
    }

    /// <summary>After AdamW wrote the other side: make it current.</summary>
    public void Swap() => Current = 1 - Current;

    /// <summary>target ← m·target + (1 − m)·encoder (ijepa train.py step 3), one pass over the flat buffers.</summary>
    public void UpdateTarget(double momentum)
    {
        var target = Target.Span;
        var online = _params[Current].Slice(0, EncoderLength);
        TensorPrimitives.Multiply(target, (float)momentum, target);
        TensorPrimitives.MultiplyAdd(online, (float)(1 - momentum), target, target);
    }

    private NativeBuffer<float> BufferOf(ManifestParameter p, int side) => p.Buffer switch
    {
        ParamBuffer.Trainable => _params[side],
        ParamBuffer.Target => Target,
        _ => Frozen,
    };

    private T Own<T>(T item) where T : IDisposable { _owned.Add(item); return item; }

    public void Dispose()
    {
        for (int i = _owned.Count - 1; i >= 0; i--) _owned[i].Dispose();
        _owned.Clear();
    }
}
