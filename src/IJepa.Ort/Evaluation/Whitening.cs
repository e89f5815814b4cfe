// Feature whitening for the linear probe: x ↦ L⁻¹(x − μ) with L the Cholesky factor of the training covariance plus a
// small ridge. A linear probe on whitened features is the same model class (an invertible linear map of its inputs), but
// Adam converges on it: pooled ViT features are highly anisotropic (effective rank ~10 of 128 for the micro presets), and
// per-dimension standardisation left the probe far from converged (measured: random-init micro features 64% → 80%
// Fashion-MNIST top-1 with whitening, at the same budget). The products run in ORT; the D×D factorisation in C#.
using System.Numerics.Tensors;
using IJepa.GraphBuilder.Core;
using IJepa.GraphBuilder.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace IJepa.Ort.Evaluation;

public sealed class Whitening
{
    private const string X = "x", Mean = "mean", Transform = "transform", Y = "y";
    private readonly float[] _mean, _transform;                 // μ [D]; M = L⁻¹ [D, D] row-major (lower triangular)

    private Whitening(float[] mean, float[] transform, int dim) { _mean = mean; _transform = transform; Width = dim; }

    /// <summary>The feature width D.</summary>
    public int Width { get; }

    /// <summary>Fits μ and L⁻¹ on <paramref name="train"/>; <paramref name="ridge"/> is added to the covariance as a fraction of its mean variance.</summary>
    public static Whitening Fit(FeatureSet train, double ridge, SessionOptions options)
    {
        int d = train.Dim;
        var mean = new double[d];
        for (int i = 0; i < train.Count; i++)
        {
            var row = train.Row(i);
            for (int j = 0; j < d; j++) mean[j] += row[j];
        }
        var mu = mean.Select(m => (float)(m / train.Count)).ToArray();
        var gram = Gram(train, mu, options);                                                // (X − μ)ᵀ(X − μ) / N, [D, D]
        double trace = 0;
        for (int j = 0; j < d; j++) trace += gram[j * d + j];
        for (double r = Math.Max(ridge, 1e-12); ; r *= 10)
        {
            var covariance = (double[])gram.Clone();
            for (int j = 0; j < d; j++) covariance[j * d + j] += r * Math.Max(trace / d, 1e-30);
            if (Cholesky(covariance, d)) return new Whitening(mu, LowerInverse(covariance, d), d);
        }
    }

    /// <summary>The whitened features (same rows, labels and classes).</summary>
    public FeatureSet Apply(FeatureSet f, SessionOptions options)
    {
        if (f.Dim != Width) throw new ArgumentException($"features have {f.Dim} dimensions, the whitening {Width}");
        var g = new Graph("whiten");
        var x = g.Input(X, DType.Float, Dim.Sym("N"), Width);
        var centred = g.Sub(x, g.Input(Mean, DType.Float, Width));                                      // [N, D]
        g.Output(g.Gemm(centred, g.Input(Transform, DType.Float, Width, Width), transB: true), Y);      // (x − μ)·Mᵀ, [N, D]
        var output = new float[(long)f.Count * Width];
        using var session = new InferenceSession(OnnxWriter.ToBytes(g), options);
        using var run = new RunOptions();
        using var xv = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, f.Data.AsMemory(0, f.Count * Width), [f.Count, Width]);
        using var mv = OrtValue.CreateTensorValueFromMemory(_mean, [Width]);
        using var tv = OrtValue.CreateTensorValueFromMemory(_transform, [Width, Width]);
        using var yv = OrtValue.CreateTensorValueFromMemory(output, [f.Count, Width]);
        session.Run(run, [X, Mean, Transform], [xv, mv, tv], [Y], [yv]);
        return new FeatureSet(output, f.Count, Width, f.Labels, f.NumClasses);
    }

    /// <summary>(X − μ)ᵀ(X − μ) / N, accumulated in float64 (the covariance of pooled features spans many orders of magnitude).</summary>
    private static double[] Gram(FeatureSet f, float[] mu, SessionOptions options)
    {
        int d = f.Dim;
        var g = new Graph("centred_gram");
        var x = g.Cast(g.Input(X, DType.Float, Dim.Sym("N"), d), DType.Double);
        var centred = g.Sub(x, g.Cast(g.Input(Mean, DType.Float, d), DType.Double));                     // [N, D]
        g.Output(g.Gemm(centred, centred, transA: true, alpha: 1.0 / f.Count), Y);                        // [D, D]
        var gram = new double[d * d];
        using var session = new InferenceSession(OnnxWriter.ToBytes(g), options);
        using var run = new RunOptions();
        using var xv = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, f.Data.AsMemory(0, f.Count * d), [f.Count, d]);
        using var mv = OrtValue.CreateTensorValueFromMemory(mu, [d]);
        using var yv = OrtValue.CreateTensorValueFromMemory(gram, [d, d]);
        session.Run(run, [X, Mean], [xv, mv], [Y], [yv]);
        for (int i = 0; i < d; i++)
            for (int j = 0; j < i; j++) gram[i * d + j] = gram[j * d + i] = 0.5 * (gram[i * d + j] + gram[j * d + i]);   // exactly symmetric
        return gram;
    }

    /// <summary>In place: the lower triangle becomes L with A = L·Lᵀ (the upper is left as is); false if A is not positive definite.</summary>
    private static bool Cholesky(double[] a, int d)
    {
        for (int j = 0; j < d; j++)
        {
            var rowJ = a.AsSpan(j * d, j);
            double pivot = a[j * d + j] - TensorPrimitives.Dot(rowJ, rowJ);
            if (!(pivot > 0)) return false;
            double l = Math.Sqrt(pivot);
            a[j * d + j] = l;
            for (int i = j + 1; i < d; i++)
                a[i * d + j] = (a[i * d + j] - TensorPrimitives.Dot(a.AsSpan(i * d, j), rowJ)) / l;
        }
        return true;
    }

    /// <summary>L⁻¹ of the lower triangle of <paramref name="l"/>, by forward substitution per column, as float row-major.</summary>
    private static float[] LowerInverse(double[] l, int d)
    {
        var inverse = new float[d * d];
        var column = new double[d];
        for (int j = 0; j < d; j++)
        {
            Array.Clear(column);
            column[j] = 1 / l[j * d + j];
            for (int i = j + 1; i < d; i++)
                column[i] = -TensorPrimitives.Dot(l.AsSpan(i * d + j, i - j), column.AsSpan(j, i - j)) / l[i * d + i];
            for (int i = j; i < d; i++) inverse[i * d + j] = (float)column[i];
        }
        return inverse;
    }
}
