// The runtime over a toy preset: AdamW matches torch's formula, EMA, ping-pong, and no per-step OrtValue creation.
using IJepa.GraphBuilder.Recipes;
using IJepa.Ort.Runtime;

namespace IJepa.Ort.Tests.Runtime;

public class RuntimeTests
{
    [Test]
    public void Optimizer_ThreeSteps_MatchesTorchAdamW()
    {
        using var rt = new ToyRuntime();
        var store = rt.Store;
        int n = (int)store.Manifest.BufferLengths[ParamBuffer.Trainable];
        var p = store.Params(store.Current).Span.ToArray().Select(v => (double)v).ToArray();
        var mask = store.DecayMask.Span.ToArray();
        double[] m = new double[n], v = new double[n];
        var rng = new Random(1);
        const double lr = 0.01, wd = 0.05;
        for (int t = 1; t <= 3; t++)
        {
            var grads = store.Grads.Span;
            for (int i = 0; i < n; i++) grads[i] = (float)(rng.NextDouble() - 0.5);
            for (int i = 0; i < n; i++)
            {
                double g = grads[i];
                p[i] *= 1 - lr * wd * mask[i];
                m[i] = 0.9 * m[i] + 0.1 * g;
                v[i] = 0.999 * v[i] + 0.001 * g * g;
                double denom = Math.Sqrt(v[i]) / Math.Sqrt(1 - Math.Pow(0.999, t)) + 1e-8;
                p[i] -= lr / (1 - Math.Pow(0.9, t)) * m[i] / denom;
            }
            rt.Optimizer.Run(store.Current, lr, wd, t);
            store.Swap();
        }
        var actual = store.Params(store.Current).Span;
        for (int i = 0; i < n; i++) Assert.That(actual[i], Is.EqualTo(p[i]).Within(1e-5 + 1e-5 * Math.Abs(p[i])), $"element {i}");
    }

    [Test]
    public void DecayMask_BiasesAndOneDimensional_AreExcluded()
    {
        using var rt = new ToyRuntime();
        foreach (var p in rt.Store.Manifest.Parameters.Where(p => p.Trainable))
        {
            bool expected = !p.Name.Contains("bias") && p.Shape.Length != 1;
            Assert.That(rt.Store.DecayMask.Slice(p.Offset, p.Count).ToArray().All(x => x == (expected ? 1f : 0f)), p.Name);
        }
    }

    [Test]
    public void Initialize_TargetEncoder_IsExactCopyOfEncoder()
    {
        using var rt = new ToyRuntime();
        foreach (var p in rt.Store.Manifest.Parameters.Where(p => p.Role == ArtifactNames.TargetScope))
        {
            var online = rt.Store.Tensor(ArtifactNames.EncoderScope + p.Name[ArtifactNames.TargetScope.Length..]).ToArray();
            Assert.That(rt.Store.Tensor(p.Name).ToArray(), Is.EqualTo(online), p.Name);
        }
    }

    [Test]
    public void TrainLoop_SeveralSteps_CreatesNoOrtValuesAfterTheFirst()
    {
        using var rt = new ToyRuntime();
        rt.FillBatch(0);
        rt.Step.Run(rt.Store.Current, 2, 1);
        long before = OrtValueCounter.Created;
        for (int step = 1; step <= 5; step++)
        {
            rt.FillBatch(step);
            float loss = rt.Step.Run(rt.Store.Current, 2, 1);
            Assert.That(float.IsFinite(loss));
            rt.Optimizer.Run(rt.Store.Current, 1e-3, 0.04, step);
            rt.Store.Swap();
            rt.Store.UpdateTarget(0.996);
        }
        Assert.That(OrtValueCounter.Created, Is.EqualTo(before));
    }

    [Test]
    public void UpdateTarget_Momentum_BlendsTowardEncoder()
    {
        using var rt = new ToyRuntime();
        var store = rt.Store;
        var online = store.Params(store.Current).Slice(0, store.EncoderLength);
        for (int i = 0; i < online.Length; i++) online[i] += 1f;
        var before = store.Target.Span.ToArray();
        var enc = online.ToArray();
        store.UpdateTarget(0.75);
        var after = store.Target.Span;
        for (int i = 0; i < after.Length; i++) Assert.That(after[i], Is.EqualTo(0.75 * before[i] + 0.25 * enc[i]).Within(1e-6));
    }
}

public class NativeBufferTests
{
    [TestCase(10, 4, new long[] { 0, 4, 8 }, new[] { 4, 4, 2 })]
    [TestCase(8, 4, new long[] { 0, 4 }, new[] { 4, 4 })]
    [TestCase(3, 4, new long[] { 0 }, new[] { 3 })]
    public void Slices_CoverTheBufferInPiecesOfAtMostMax(long length, int max, long[] offsets, int[] counts)
    {
        using var buffer = new NativeBuffer<float>(length);
        var slices = buffer.Slices(max).ToList();
        Assert.That(slices.Select(s => s.Offset), Is.EqualTo(offsets));
        Assert.That(slices.Select(s => s.Count), Is.EqualTo(counts));
    }
}
