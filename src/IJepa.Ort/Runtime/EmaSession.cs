// The EMA of the target encoder through ema.onnx, for stores whose weights the host cannot touch (device memory):
// reads the target of one side and the encoder part of the other side's parameters, writes the other side's target.
using Microsoft.ML.OnnxRuntime;
using N = IJepa.GraphBuilder.Recipes.ArtifactNames;

namespace IJepa.Ort.Runtime;

public sealed class EmaSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly OrtIoBinding[] _bindings = new OrtIoBinding[2];
    private readonly RunOptions _runOptions = new();
    private readonly NativeBuffer<float> _momentum = new(1);
    private readonly OrtValue _momentumView;

    /// <summary>Binds <paramref name="session"/> (over ema.onnx; owned from here on) to both sides of <paramref name="store"/>.</summary>
    public EmaSession(InferenceSession session, ParameterStore store)
    {
        if (store.TargetSides != 2)
        {
            session.Dispose();
            throw new ArgumentException("ema.onnx needs a store with two target sides (it cannot write the buffer it reads)", nameof(store));
        }
        _session = session;
        _momentumView = _momentum.View(0, []);
        for (int from = 0; from < 2; from++)
        {
            // After AdamW read side `from` and wrote side `to`, the online encoder is the prefix of side `to`.
            int to = 1 - from;
            var b = _bindings[from] = _session.CreateIoBinding();
            b.BindInput(N.Target, store.FlatTarget[from]);
            b.BindInput(N.Online, store.FlatEncoder[to]);
            b.BindInput(N.Momentum, _momentumView);
            b.BindOutput(N.Updated(N.Target), store.FlatTarget[to]);
        }
    }

    /// <summary>target[1 − from] ← m·target[from] + (1 − m)·encoder[1 − from] (ijepa train.py step 3).</summary>
    public void Run(int from, double momentum)
    {
        _momentum.Span[0] = (float)momentum;
        _session.RunWithBinding(_runOptions, _bindings[from]);
    }

    public void Dispose()
    {
        foreach (var b in _bindings) b?.Dispose();
        _momentumView.Dispose();
        _momentum.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }
}
