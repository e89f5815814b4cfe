// The train-step graph bound once to the parameter store: images + masks in, loss + gradients out, in place.
using IJepa.GraphBuilder.Recipes;
using IJepa.Ort.Masks;
using Microsoft.ML.OnnxRuntime;
using N = IJepa.GraphBuilder.Recipes.ArtifactNames;

namespace IJepa.Ort.Runtime;

/// <summary>
/// One session over train_step.onnx and two bindings (one per parameter side). Inputs and outputs are views over
/// buffers owned here or by the store; views for the variable mask lengths are made once per length and kept.
/// </summary>
public sealed class TrainStepSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly OrtIoBinding[] _bindings;
    private readonly RunOptions _runOptions = new();
    private readonly NativeBuffer<float> _images, _loss, _prediction, _targets;
    private readonly NativeBuffer<long> _context, _target;
    private readonly Dictionary<(string, int), OrtValue> _lengthViews = [];
    private readonly List<IDisposable> _owned = [];
    private readonly int _batch, _numTargets, _dim;
    private (int Nc, int Nt) _bound = (-1, -1);

    /// <summary>Binds <paramref name="session"/> (over train_step.onnx; owned from here on) to both sides of <paramref name="store"/>.</summary>
    public TrainStepSession(InferenceSession session, ParameterStore store, int batchSize)
    {
        var m = store.Manifest;
        var e = m.Spec.Encoder;
        _batch = batchSize;
        _numTargets = m.Spec.NumPredMasks;
        _dim = e.EmbedDim;
        _session = Own(session);
        long imageCount = (long)batchSize * e.InChans * e.ImgSize * e.ImgSize;
        _images = Own(new NativeBuffer<float>(imageCount));
        _loss = Own(new NativeBuffer<float>(1));
        _context = Own(new NativeBuffer<long>((long)batchSize * e.NumPatches));
        _target = Own(new NativeBuffer<long>((long)_numTargets * batchSize * e.NumPatches));
        // Outputs nobody reads per step stay where the parameters are (on a GPU: never copied to the host).
        _prediction = Own(new NativeBuffer<float>((long)_numTargets * batchSize * e.NumPatches * _dim, store.Memory));
        _targets = Own(new NativeBuffer<float>((long)_numTargets * batchSize * e.NumPatches * _dim, store.Memory));
        var imagesView = Own(_images.View(0, [batchSize, e.InChans, e.ImgSize, e.ImgSize]));
        var lossView = Own(_loss.View(0, []));

        _bindings = new OrtIoBinding[2];
        for (int side = 0; side < 2; side++)
        {
            var b = _bindings[side] = Own(_session.CreateIoBinding());
            b.BindInput(N.Images, imagesView);
            foreach (var p in m.Parameters) b.BindInput(p.Name, store.View(p.Name, side));
            b.BindOutput(N.Loss, lossView);
            foreach (var p in m.Parameters.Where(p => p.Trainable)) b.BindOutput(N.Grad(p.Name), store.GradView(N.Grad(p.Name)));
        }
    }

    /// <summary>The image batch [B, C, H, W] the next <see cref="Run"/> reads.</summary>
    public Span<float> Images => _images.Span;
    /// <summary>Context indices [B, Nc], row-major; the first B·Nc entries are used.</summary>
    public Span<long> ContextIndex => _context.Span;
    /// <summary>Target indices [M, B, Nt], block-major; the first M·B·Nt entries are used.</summary>
    public Span<long> TargetIndex => _target.Span;
    /// <summary>The last prediction [M·B, Nt, D] (first M·B·Nt·D entries; host stores only).</summary>
    public ReadOnlySpan<float> Prediction => _prediction.Span;
    /// <summary>The last target features [M·B, Nt, D] (first M·B·Nt·D entries; host stores only).</summary>
    public ReadOnlySpan<float> TargetFeatures => _targets.Span;

    /// <summary>
    /// Copies this session's share of a batch's masks into the bound index buffers: the rows of images
    /// [<paramref name="first"/>, first + B) of the context [G, Nc] and of every target block [M, G, Nt]
    /// (G = the masks' batch, B = this session's; the whole batch when they are equal).
    /// </summary>
    public void LoadMasks(MaskBatch masks, int first = 0)
    {
        int global = masks.BatchSize, nc = masks.ContextLength, nt = masks.TargetLength;
        if (first < 0 || first + _batch > global) throw new ArgumentOutOfRangeException(nameof(first), $"images [{first}, {first + _batch}) of a batch of {global}");
        masks.Context.AsSpan(first * nc, _batch * nc).CopyTo(_context.Span);
        for (int m = 0; m < _numTargets; m++)
            masks.Target.AsSpan((m * global + first) * nt, _batch * nt).CopyTo(_target.Span.Slice(m * _batch * nt));
    }

    /// <summary>Forward + backward with the parameters of <paramref name="side"/>; gradients land in the store. Returns the loss.</summary>
    public float Run(int side, int contextLength, int targetLength)
    {
        var binding = _bindings[side];
        if (_bound != (contextLength, targetLength))
        {
            foreach (var b in _bindings) BindLengths(b, contextLength, targetLength);
            _bound = (contextLength, targetLength);
        }
        _session.RunWithBinding(_runOptions, binding);
        return _loss.Span[0];
    }

    private void BindLengths(OrtIoBinding b, int nc, int nt)
    {
        int rows = _numTargets * _batch;
        b.BindInput(N.ContextIndex, LengthView(N.ContextIndex, nc, () => _context.View(0, [_batch, nc])));
        b.BindInput(N.TargetIndex, LengthView(N.TargetIndex, nt, () => _target.View(0, [_numTargets, _batch, nt])));
        b.BindOutput(N.Prediction, LengthView(N.Prediction, nt, () => _prediction.View(0, [rows, nt, _dim])));
        b.BindOutput(N.TargetFeatures, LengthView(N.TargetFeatures, nt, () => _targets.View(0, [rows, nt, _dim])));
    }

    private OrtValue LengthView(string name, int length, Func<OrtValue> create)
    {
        if (!_lengthViews.TryGetValue((name, length), out var view))
            _lengthViews[(name, length)] = view = create();
        return view;
    }

    private T Own<T>(T item) where T : IDisposable { _owned.Add(item); return item; }

    public void Dispose()
    {
        foreach (var v in _lengthViews.Values) v.Dispose();
        _lengthViews.Clear();
        _runOptions.Dispose();
        for (int i = _owned.Count - 1; i >= 0; i--) _owned[i].Dispose();
        _owned.Clear();
    }
}
