// The probe's train graph (our builder + autodiff) against central finite differences of its loss, in float64 through ORT.
using IJepa.GraphBuilder.Core;
using IJepa.GraphBuilder.Onnx;
using IJepa.Ort.Evaluation;
using Microsoft.ML.OnnxRuntime;

namespace IJepa.Ort.Tests.Evaluation;

public class LinearProbeGradientTests
{
    [Test]
    public void TrainGraph_Float64_GradientMatchesFiniteDifferences()
    {
        const int batch = 6, dim = 5, classes = 4;
        var rng = new Random(11);
        var features = Enumerable.Range(0, batch * dim).Select(_ => rng.NextDouble() * 4 - 2).ToArray();
        var labels = new long[] { 0, 3, 1, 1, 2, 3 };
        var flat = Enumerable.Range(0, (int)LinearProbeRecipe.ParameterCount(dim, classes)).Select(_ => rng.NextDouble() - 0.5).ToArray();
        using var session = new InferenceSession(OnnxWriter.ToBytes(LinearProbeRecipe.Train(dim, classes, DType.Double)));

        var (_, analytic) = Run(session, features, labels, flat, batch, dim);
        Assert.That(FiniteDifference.RelativeError(p => Run(session, features, labels, p, batch, dim).Loss, flat, analytic), Is.LessThan(1e-7));
    }

    [Test]
    public void TrainGraph_Float64_LossIsMeanCrossEntropy()
    {
        const int batch = 3, dim = 2, classes = 2;
        var features = new double[] { 1, 0, 0, 1, 1, 1 };
        var labels = new long[] { 0, 1, 1 };
        var flat = new double[] { 2, 0, 0, 1, 0.5, -0.5 };   // W = [[2, 0], [0, 1]], b = [0.5, −0.5]
        using var session = new InferenceSession(OnnxWriter.ToBytes(LinearProbeRecipe.Train(dim, classes, DType.Double)));

        var (loss, _) = Run(session, features, labels, flat, batch, dim);

        // logits: (2.5, −0.5), (0.5, 0.5), (2.5, 0.5); −log p(label) each
        double Ce(double a, double b, int label) => -((label == 0 ? a : b) - Math.Log(Math.Exp(a) + Math.Exp(b)));
        double expected = (Ce(2.5, -0.5, 0) + Ce(0.5, 0.5, 1) + Ce(2.5, 0.5, 1)) / 3;
        Assert.That(loss, Is.EqualTo(expected).Within(1e-12));
    }

    private static (double Loss, double[] Grads) Run(InferenceSession session, double[] features, long[] labels, double[] flat, int batch, int dim)
    {
        using var x = OrtValue.CreateTensorValueFromMemory(features, [batch, dim]);
        using var y = OrtValue.CreateTensorValueFromMemory(labels, [batch]);
        using var p = OrtValue.CreateTensorValueFromMemory(flat, [flat.Length]);
        using var run = new RunOptions();
        using var outputs = session.Run(run, [LinearProbeRecipe.Features, LinearProbeRecipe.Labels, LinearProbeRecipe.Params], [x, y, p],
            [LinearProbeRecipe.Loss, LinearProbeRecipe.Grads]);
        return (outputs[0].GetTensorDataAsSpan<double>()[0], outputs[1].GetTensorDataAsSpan<double>().ToArray());
    }
}
