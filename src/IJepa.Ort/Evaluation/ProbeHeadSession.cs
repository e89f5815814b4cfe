// A probe head's ORT sessions (the linear probe, the attentive probe): the train-step graph and the project's AdamW graph
// bound once over flat buffers (ping-pong between two sides, as the parameter store does), and the prediction graph.
using IJepa.GraphBuilder.Core;
using IJepa.GraphBuilder.Onnx;
using IJepa.GraphBuilder.Recipes;
using IJepa.Ort.Data;
using IJepa.Ort.Runtime;
using Microsoft.ML.OnnxRuntime;
using N = IJepa.GraphBuilder.Recipes.ArtifactNames;

namespace IJepa.Ort.Evaluation;

/// <summary>
/// A trainable head over frozen features: its train graph (features, labels, params → loss, grads) and predict graph
/// (features, params → predicted), under the input names of <see cref="LinearProbeRecipe"/>; the shape of one row of
/// features (<c>[D]</c>, or <c>[N, D]</c> tokens); the parameters' initial values and AdamW decay mask (1 decays, 0 not).
/// </summary>
public sealed record ProbeHead(Graph Train, Graph Predict, int[] RowShape, float[] Init, float[] DecayMask)
{
    public int RowWidth => RowShape.Aggregate(1, (a, b) => a * b);
}

/// <summary>Trains and applies a probe head over features of one shape and class count; owns every native object it uses.</summary>
public sealed class ProbeHeadSession : IDisposable
{
    private readonly List<IDisposable> _owned = [];
    private readonly InferenceSession _step, _optimizer, _predict;
    private readonly OrtIoBinding[] _stepBindings = new OrtIoBinding[2], _optimizerBindings = new OrtIoBinding[2];
    private readonly RunOptions _runOptions;
    private readonly NativeBuffer<float> _batch, _loss, _grads, _mask, _lr, _wd, _stepCount;
    private readonly NativeBuffer<float>[] _params, _m, _v;
    private readonly NativeBuffer<long> _labels;
    private readonly int _batchSize;
    private readonly ProbeHead _head;

    /// <summary>The linear probe: a linear layer over features of width <paramref name="dim"/> (see <see cref="LinearProbeRecipe"/>).</summary>
    public ProbeHeadSession(int dim, int classes, int batchSize, SessionOptions options)
        : this(LinearProbeRecipe.Head(dim, classes), batchSize, options) { }

    public ProbeHeadSession(ProbeHead head, int batchSize, SessionOptions options)
    {
        _head = head;
        Dim = head.RowWidth;
        _batchSize = batchSize;
        long p = head.Init.Length;
        if (head.DecayMask.Length != p) throw new ArgumentException($"decay mask has {head.DecayMask.Length} entries, the head {p} parameters");
        _runOptions = Own(new RunOptions());
        _step = Own(new InferenceSession(OnnxWriter.ToBytes(head.Train), options));
        _optimizer = Own(new InferenceSession(OnnxWriter.ToBytes(OptimizerRecipe.Build(DType.Float)), options));
        _predict = Own(new InferenceSession(OnnxWriter.ToBytes(head.Predict), options));

        _batch = Own(new NativeBuffer<float>((long)batchSize * Dim));
        _labels = Own(new NativeBuffer<long>(batchSize));
        _loss = Own(new NativeBuffer<float>(1));
        _grads = Own(new NativeBuffer<float>(p));
        _mask = Own(new NativeBuffer<float>(p));
        head.DecayMask.CopyTo(_mask.Span);
        _lr = Own(new NativeBuffer<float>(1));
        _wd = Own(new NativeBuffer<float>(1));
        _stepCount = Own(new NativeBuffer<float>(1));
        _params = [Own(new NativeBuffer<float>(p)), Own(new NativeBuffer<float>(p))];
        _m = [Own(new NativeBuffer<float>(p)), Own(new NativeBuffer<float>(p))];
        _v = [Own(new NativeBuffer<float>(p)), Own(new NativeBuffer<float>(p))];

        var batchView = Own(_batch.View(0, [batchSize, .. head.RowShape.Select(d => (long)d)]));
        var labelView = Own(_labels.View(0, [batchSize]));
        var lossView = Own(_loss.View(0, []));
        var gradView = Own(_grads.View(0, [p]));
        var maskView = Own(_mask.View(0, [p]));
        var paramViews = _params.Select(b => Own(b.View(0, [p]))).ToArray();
        var mViews = _m.Select(b => Own(b.View(0, [p]))).ToArray();
        var vViews = _v.Select(b => Own(b.View(0, [p]))).ToArray();
        var (lrView, wdView, stepView) = (Own(_lr.View(0, [])), Own(_wd.View(0, [])), Own(_stepCount.View(0, [])));
        for (int side = 0; side < 2; side++)
        {
            var s = _stepBindings[side] = Own(_step.CreateIoBinding());
            s.BindInput(LinearProbeRecipe.Features, batchView);
            s.BindInput(LinearProbeRecipe.Labels, labelView);
            s.BindInput(LinearProbeRecipe.Params, paramViews[side]);
            s.BindOutput(LinearProbeRecipe.Loss, lossView);
            s.BindOutput(LinearProbeRecipe.Grads, gradView);

            var o = _optimizerBindings[side] = Own(_optimizer.CreateIoBinding());
            o.BindInput(N.Params, paramViews[side]);
            o.BindInput(N.Grads, gradView);
            o.BindInput(N.AdamM, mViews[side]);
            o.BindInput(N.AdamV, vViews[side]);
            o.BindInput(N.DecayMask, maskView);
            o.BindInput(N.LearningRate, lrView);
            o.BindInput(N.WeightDecay, wdView);
            o.BindInput(N.Step, stepView);
            o.BindOutput(N.Updated(N.Params), paramViews[1 - side]);
            o.BindOutput(N.Updated(N.AdamM), mViews[1 - side]);
            o.BindOutput(N.Updated(N.AdamV), vViews[1 - side]);
        }
    }

    /// <summary>The width of one row of features (the product of the head's row shape).</summary>
    public int Dim { get; }

    /// <summary>The mean loss of the last epoch of the last <see cref="Fit"/>.</summary>
    public double LastEpochLoss { get; private set; }

    /// <summary>
    /// Trains from the head's initial parameters with AdamW (betas 0.9/0.999) for <paramref name="epochs"/> shuffled epochs of full batches,
    /// the learning rate following a half cosine from <paramref name="lr"/> to 0; returns the parameters.
    /// </summary>
    public float[] Fit(FeatureSet data, double lr, double wd, int epochs, ulong seed)
    {
        if (data.Dim != Dim) throw new ArgumentException($"features have {data.Dim} dimensions, the probe {Dim}");
        if (data.Count < _batchSize) throw new ArgumentException($"{data.Count} training rows make no batch of {_batchSize}");
        foreach (var b in _params.Concat(_m).Concat(_v)) b.Span.Clear();
        _head.Init.CopyTo(_params[0].Span);
        int side = 0, perEpoch = data.Count / _batchSize;
        long total = (long)perEpoch * epochs, step = 0;
        var order = Enumerable.Range(0, data.Count).ToArray();
        _wd.Span[0] = (float)wd;
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            var rng = DataRandom.For(seed, epoch);
            rng.Shuffle(order.AsSpan());
            double lossSum = 0;
            for (int i = 0; i < perEpoch; i++)
            {
                FillBatch(data, order.AsSpan(i * _batchSize, _batchSize));
                _step.RunWithBinding(_runOptions, _stepBindings[side]);
                lossSum += _loss.Span[0];
                _lr.Span[0] = (float)(lr * 0.5 * (1 + Math.Cos(Math.PI * step / total)));
                _stepCount.Span[0] = ++step;
                _optimizer.RunWithBinding(_runOptions, _optimizerBindings[side]);
                side = 1 - side;
            }
            LastEpochLoss = lossSum / perEpoch;
        }
        return _params[side].Span.ToArray();
    }

    /// <summary>
    /// One trial per learning rate × weight decay: fit on <paramref name="fit"/>, top-1 on <paramref name="validation"/>;
    /// <paramref name="ridge"/> is the whitening those features had, recorded with each trial.
    /// </summary>
    public List<ProbeTrial> Sweep(FeatureSet fit, FeatureSet validation, IReadOnlyList<double> learningRates, IReadOnlyList<double> weightDecays,
        int epochs, ulong seed, double ridge = 0)
    {
        var trials = new List<ProbeTrial>();
        foreach (double lr in learningRates)
            foreach (double wd in weightDecays)
                trials.Add(new ProbeTrial(lr, wd, ridge, Accuracy(validation, Fit(fit, lr, wd, epochs, seed))));
        return trials;
    }

    /// <summary>The predicted class of every row of <paramref name="data"/> under <paramref name="weights"/>.</summary>
    public int[] Predict(FeatureSet data, float[] weights)
    {
        int chunk = Math.Max(1, (1 << 22) / Dim);                   // rows per run: about 16 MB of features
        var predicted = new long[data.Count];
        using var paramValue = OrtValue.CreateTensorValueFromMemory(weights, [weights.Length]);
        for (int start = 0; start < data.Count; start += chunk)
        {
            int n = Math.Min(chunk, data.Count - start);
            using var x = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, data.Data.AsMemory(start * Dim, n * Dim),
                [n, .. _head.RowShape.Select(d => (long)d)]);
            using var y = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, predicted.AsMemory(start, n), [n]);
            _predict.Run(_runOptions, [LinearProbeRecipe.Features, LinearProbeRecipe.Params], [x, paramValue], [LinearProbeRecipe.Predicted], [y]);
        }
        return predicted.Select(p => (int)p).ToArray();
    }

    /// <summary>Top-1 accuracy of <paramref name="weights"/> on <paramref name="data"/>.</summary>
    public double Accuracy(FeatureSet data, float[] weights)
    {
        var predicted = Predict(data, weights);
        int correct = 0;
        for (int i = 0; i < data.Count; i++) if (predicted[i] == data.Labels[i]) correct++;
        return (double)correct / data.Count;
    }

    private void FillBatch(FeatureSet data, ReadOnlySpan<int> rows)
    {
        var x = _batch.Span;
        var y = _labels.Span;
        for (int i = 0; i < rows.Length; i++)
        {
            data.Row(rows[i]).CopyTo(x.Slice(i * Dim, Dim));
            y[i] = data.Labels[rows[i]];
        }
    }

    private T Own<T>(T item) where T : IDisposable { _owned.Add(item); return item; }

    public void Dispose()
    {
        for (int i = _owned.Count - 1; i >= 0; i--) _owned[i].Dispose();
        _owned.Clear();
    }
}
