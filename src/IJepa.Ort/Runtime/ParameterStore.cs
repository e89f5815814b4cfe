// The parameter store: one flat buffer per role, OrtValue views at manifest offsets, ping-pong for the optimizer and
// (when the EMA runs as a graph) for the target encoder; in host memory or resident on a CUDA device.
using System.Numerics.Tensors;
using IJepa.GraphBuilder.Recipes;
using Microsoft.ML.OnnxRuntime;

namespace IJepa.Ort.Runtime;

/// <summary>
/// Trainable parameters, their gradients and Adam moments (two copies of params/m/v: AdamW reads one side and writes the
/// other), the EMA target encoder and the fixed position tables, each a flat buffer in <see cref="Memory"/>. With
/// <c>targetSides</c> 2 the target encoder has two copies too (ema.onnx reads one and writes the other), tied to the same
/// side as the parameters. Every tensor view is created once here; the store owns and disposes all of them.
/// </summary>
public sealed class ParameterStore : IDisposable
{
    private readonly NativeBuffer<float>[] _params, _m, _v, _target;
    private readonly Dictionary<string, OrtValue>[] _paramViews = [[], []];
    private readonly Dictionary<string, OrtValue> _gradViews = [];
    private readonly List<IDisposable> _owned = [];

    public ParameterStore(Manifest manifest) : this(manifest, DeviceMemory.Host, targetSides: 1) { }

    public ParameterStore(Manifest manifest, DeviceMemory memory, int targetSides)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(targetSides, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(targetSides, 2);
        Manifest = manifest;
        Memory = memory;
        long trainable = manifest.BufferLengths[ParamBuffer.Trainable], target = manifest.BufferLengths[ParamBuffer.Target];
        NativeBuffer<float> Buffer(long length) => Own(new NativeBuffer<float>(length, memory));
        _params = [Buffer(trainable), Buffer(trainable)];
        _m = [Buffer(trainable), Buffer(trainable)];
        _v = [Buffer(trainable), Buffer(trainable)];
        _target = targetSides == 2 ? [Buffer(target), Buffer(target)] : [Buffer(target)];
        Grads = Buffer(trainable);
        DecayMask = Buffer(trainable);
        Frozen = Buffer(manifest.BufferLengths[ParamBuffer.Frozen]);

        // The target encoder mirrors the encoder: same order, same offsets, so EMA is one pass over a prefix.
        EncoderLength = manifest.Parameters.Where(p => p.Role == ArtifactNames.PredictorScope && p.Buffer == ParamBuffer.Trainable).Select(p => p.Offset).DefaultIfEmpty(trainable).Min();
        if (EncoderLength != target) throw new InvalidOperationException($"manifest: encoder part ({EncoderLength}) and target buffer ({target}) differ");

        foreach (var p in manifest.Parameters)
        {
            for (int side = 0; side < 2; side++)
                _paramViews[side][p.Name] = Own(BufferOf(p, side).View(p.Offset, p.Shape));
            if (p.Trainable) _gradViews[ArtifactNames.Grad(p.Name)] = Own(Grads.View(p.Offset, p.Shape));
        }
        FillDecayMask();
        FlatParams = [Own(_params[0].View(0, [trainable])), Own(_params[1].View(0, [trainable]))];
        FlatM = [Own(_m[0].View(0, [trainable])), Own(_m[1].View(0, [trainable]))];
        FlatV = [Own(_v[0].View(0, [trainable])), Own(_v[1].View(0, [trainable]))];
        FlatEncoder = [Own(_params[0].View(0, [EncoderLength])), Own(_params[1].View(0, [EncoderLength]))];
        FlatTarget = [Own(TargetBuffer(0).View(0, [target])), Own(TargetBuffer(1).View(0, [target]))];
        FlatGrads = Own(Grads.View(0, [trainable]));
        FlatDecayMask = Own(DecayMask.View(0, [trainable]));
    }

    public Manifest Manifest { get; }
    public DeviceMemory Memory { get; }
    /// <summary>Which side (0/1) holds the current trainable parameters, moments and (with two sides) target encoder.</summary>
    public int Current { get; private set; }
    public NativeBuffer<float> Grads { get; }
    public NativeBuffer<float> DecayMask { get; }
    /// <summary>The current target encoder.</summary>
    public NativeBuffer<float> Target => TargetBuffer(Current);
    public NativeBuffer<float> Frozen { get; }
    public long EncoderLength { get; }
    /// <summary>Copies of the target encoder: 1 (updated in place by C#) or 2 (ping-pong for ema.onnx).</summary>
    public int TargetSides => _target.Length;
    public OrtValue[] FlatParams { get; }
    public OrtValue[] FlatM { get; }
    public OrtValue[] FlatV { get; }
    /// <summary>The encoder prefix of each side's parameters [EncoderLength] (the EMA's online input).</summary>
    public OrtValue[] FlatEncoder { get; }
    /// <summary>The target encoder of each side (the same buffer twice with one target side).</summary>
    public OrtValue[] FlatTarget { get; }
    public OrtValue FlatGrads { get; }
    public OrtValue FlatDecayMask { get; }

    public NativeBuffer<float> Params(int side) => _params[side];
    public NativeBuffer<float> M(int side) => _m[side];
    public NativeBuffer<float> V(int side) => _v[side];

    /// <summary>The view of a parameter as seen when <paramref name="side"/> is current (frozen: the same on both).</summary>
    public OrtValue View(string name, int side) => _paramViews[side].TryGetValue(name, out var v) ? v
        : throw new KeyNotFoundException($"parameter store has no parameter {name}");

    public OrtValue GradView(string gradName) => _gradViews[gradName];

    /// <summary>The current values of a parameter (host memory only).</summary>
    public Span<float> Tensor(string name)
    {
        var p = Manifest[name];
        return BufferOf(p, Current).Slice(p.Offset, p.Count);
    }

    /// <summary>The current Adam first moment of a trainable parameter (host memory only).</summary>
    public Span<float> MomentM(string name) => _m[Current].Slice(Manifest[name].Offset, Manifest[name].Count);

    /// <summary>The current Adam second moment of a trainable parameter (host memory only).</summary>
    public Span<float> MomentV(string name) => _v[Current].Slice(Manifest[name].Offset, Manifest[name].Count);

    /// <summary>The buffers that make up the training state on the current side: what a checkpoint or a broadcast carries.</summary>
    public IEnumerable<NativeBuffer<float>> StateBuffers() => [_params[Current], _m[Current], _v[Current], Target, Frozen];

    /// <summary>Initialises every parameter by its rule; the target encoder starts as an exact copy of the encoder (host memory only).</summary>
    public void Initialize(ulong seed)
    {
        foreach (var p in Manifest.Parameters.Where(p => p.Buffer != ParamBuffer.Target))
            ParameterInit.Fill(p, Tensor(p.Name), seed, Manifest.Spec.Encoder.GridSize);
        _params[Current].Slice(0, EncoderLength).CopyTo(Target.Span);
        _m[Current].Span.Clear();
        _v[Current].Span.Clear();
    }

    /// <summary>After AdamW wrote the other side: make it current. The step calls this, explicitly, after the optimizer.</summary>
    public void Swap() => Current = 1 - Current;

    /// <summary>Makes this store hold <paramref name="source"/>'s current state (any memory to any memory), on the same side.</summary>
    public void CopyFrom(ParameterStore source)
    {
        if (source.Manifest.PresetHash != Manifest.PresetHash) throw new ArgumentException("stores of different models", nameof(source));
        Current = source.Current;
        foreach (var (to, from) in StateBuffers().Zip(source.StateBuffers())) to.CopyFrom(from);
    }

    /// <summary>target ← m·target + (1 − m)·encoder (ijepa train.py step 3), one pass over the flat host buffers.</summary>
    public void UpdateTarget(double momentum)
    {
        if (TargetSides != 1) throw new InvalidOperationException("a store with two target sides updates its target with ema.onnx");
        var target = Target.Span;
        var online = _params[Current].Slice(0, EncoderLength);
        TensorPrimitives.Multiply(target, (float)momentum, target);
        TensorPrimitives.MultiplyAdd(online, (float)(1 - momentum), target, target);
    }

    private NativeBuffer<float> TargetBuffer(int side) => _target[side % _target.Length];

    private NativeBuffer<float> BufferOf(ManifestParameter p, int side) => p.Buffer switch
    {
        ParamBuffer.Trainable => _params[side],
        ParamBuffer.Target => TargetBuffer(side),
        _ => Frozen,
    };

    /// <summary>1 where AdamW applies weight decay, 0 for biases and 1-D parameters; built on the host, then copied in.</summary>
    private void FillDecayMask()
    {
        using var host = new NativeBuffer<float>(DecayMask.Length);
        foreach (var p in Manifest.Parameters.Where(p => p.Trainable && p.WeightDecay)) host.Slice(p.Offset, p.Count).Fill(1f);
        DecayMask.CopyFrom(host);
    }

    private T Own<T>(T item) where T : IDisposable { _owned.Add(item); return item; }

    public void Dispose()
    {
        for (int i = _owned.Count - 1; i >= 0; i--) _owned[i].Dispose();
        _owned.Clear();
    }
}
