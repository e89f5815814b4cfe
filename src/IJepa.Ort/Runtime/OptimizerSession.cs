// AdamW through optimizer.onnx: reads one side of the store's params/m/v, writes the other (ping-pong); the caller swaps.
using Microsoft.ML.OnnxRuntime;
using N = IJepa.GraphBuilder.Recipes.ArtifactNames;

namespace IJepa.Ort.Runtime;

public sealed class OptimizerSession : IDisposable
{
    private readonly InferenceSession _session;
    private readonly OrtIoBinding[] _bindings = new OrtIoBinding[2];
    private readonly RunOptions _runOptions = new();
    private readonly NativeBuffer<float> _scalars = new(3);           // lr, wd, step
    private readonly OrtValue[] _scalarViews;

    /// <summary>Binds <paramref name="session"/> (over optimizer.onnx; owned from here on) to both sides of <paramref name="store"/>.</summary>
    public OptimizerSession(InferenceSession session, ParameterStore store)
    {
        _session = session;
        _scalarViews = [_scalars.View(0, []), _scalars.View(1, []), _scalars.View(2, [])];
        for (int side = 0; side < 2; side++)
        {
            var b = _bindings[side] = _session.CreateIoBinding();
            b.BindInput(N.Params, store.FlatParams[side]);
            b.BindInput(N.Grads, store.FlatGrads);
            b.BindInput(N.AdamM, store.FlatM[side]);
            b.BindInput(N.AdamV, store.FlatV[side]);
            b.BindInput(N.DecayMask, store.FlatDecayMask);
            b.BindInput(N.LearningRate, _scalarViews[0]);
            b.BindInput(N.WeightDecay, _scalarViews[1]);
            b.BindInput(N.Step, _scalarViews[2]);
            b.BindOutput(N.Updated(N.Params), store.FlatParams[1 - side]);
            b.BindOutput(N.Updated(N.AdamM), store.FlatM[1 - side]);
            b.BindOutput(N.Updated(N.AdamV), store.FlatV[1 - side]);
        }
    }

    /// <summary>
    /// One AdamW update from the store's gradients, reading side <paramref name="side"/> and writing the other;
    /// <paramref name="step"/> is 1-based. The store's current side is left as it was: the caller swaps.
    /// </summary>
    public void Run(int side, double lr, double wd, long step)
    {
        var s = _scalars.Span;
        s[0] = (float)lr; s[1] = (float)wd; s[2] = step;
        _session.RunWithBinding(_runOptions, _bindings[side]);
    }

    public void Dispose()
    {
        foreach (var b in _bindings) b?.Dispose();
        foreach (var v in _scalarViews) v.Dispose();
        _scalars.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }
}
