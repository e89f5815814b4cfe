// The attentive probe: its train graph against finite differences (float64 through ORT), and learning a task that
// needs attention (the class sits in one token at a random position among noise tokens).
using IJepa.GraphBuilder.Core;
using IJepa.GraphBuilder.Onnx;
using IJepa.Ort.Evaluation;
using Microsoft.ML.OnnxRuntime;

namespace IJepa.Ort.Tests.Evaluation;

public class AttentiveProbeTests
{
    [Test]
    public void TrainGraph_Float64_GradientMatchesFiniteDifferences()
    {
        const int batch = 3, tokens = 4, dim = 4, heads = 2, classes = 3;
        var rng = new Random(17);
        var x = Enumerable.Range(0, batch * tokens * dim).Select(_ => rng.NextDouble() * 4 - 2).ToArray();
        var labels = new long[] { 2, 0, 1 };
        var flat = Enumerable.Range(0, (int)AttentiveProbeRecipe.ParameterCount(dim, classes)).Select(_ => rng.NextDouble() - 0.5).ToArray();
        using var session = new InferenceSession(OnnxWriter.ToBytes(AttentiveProbeRecipe.Train(tokens, dim, heads, classes, DType.Double)));

        var (_, analytic) = Run(session, x, labels, flat, [batch, tokens, dim]);
        Assert.That(FiniteDifference.RelativeError(p => Run(session, x, labels, p, [batch, tokens, dim]).Loss, flat, analytic), Is.LessThan(1e-7));
    }

    [Test]
    public void TrainGraph_Float64_UniformAttentionIsMeanOfNormedTokens()
    {
        // query 0 ⇒ uniform attention: logits = Wc·(Wv·mean(LN(x)) + bv) + bc; with Wv = I, bv = 0, Wc = I, bc = 0 the loss
        // is the cross-entropy of mean(LN(x)) read as logits.
        const int tokens = 2, dim = 2, classes = 2;
        var x = new double[] { 1, 3, 2, 4 };                      // LN: (−1, 1) both (up to eps); mean (−1, 1)
        var flat = new double[AttentiveProbeRecipe.ParameterCount(dim, classes)];
        // layout: query [2], Wk [4], Wv [4], bv [2], Wc [4], bc [2]
        flat[6] = flat[9] = 1;                                   // Wv = I
        flat[12] = flat[15] = 1;                                 // Wc = I
        using var session = new InferenceSession(OnnxWriter.ToBytes(AttentiveProbeRecipe.Train(tokens, dim, 1, classes, DType.Double)));

        var (loss, _) = Run(session, x, [0], flat, [1, tokens, dim]);

        Assert.That(loss, Is.EqualTo(Math.Log(1 + Math.Exp(2))).Within(1e-5), "cross-entropy of logits (−1, 1) for class 0");
    }

    [Test]
    public void Run_ClassInOneTokenAtARandomPlace_LearnsIt()
    {
        var (train, test) = MarkedTokens(3000, 600, tokens: 9, dim: 8, classes: 3, seed: 5);
        var options = new AttentiveProbeOptions { LearningRates = [1e-2], WeightDecays = [1e-4], Epochs = 15, BatchSize = 64, Heads = 2 };

        var result = AttentiveProbe.Run(train, test, 9, options);

        Assert.That(result.TestAccuracy, Is.GreaterThan(0.95));
        Assert.That(result.Heads, Is.EqualTo(2));
    }

    [Test]
    public void Run_SweepAndSameSeed_PicksBestOnValidationDeterministically()
    {
        var (train, test) = MarkedTokens(600, 100, tokens: 4, dim: 6, classes: 2, seed: 6);
        var options = new AttentiveProbeOptions { LearningRates = [1e-3, 1e-2], WeightDecays = [1e-4], Epochs = 3, BatchSize = 64, Heads = 4, Seed = 2 };

        var a = AttentiveProbe.Run(train, test, 4, options);
        var b = AttentiveProbe.Run(train, test, 4, options);

        Assert.That(a.Sweep, Has.Count.EqualTo(2));
        Assert.That(a.Lr, Is.EqualTo(a.Sweep.MaxBy(t => t.ValidationAccuracy)!.Lr));
        Assert.That(a.Heads, Is.EqualTo(3), "4 heads do not divide 6: the largest divisor below");
        Assert.That(b.TestAccuracy, Is.EqualTo(a.TestAccuracy));
    }

    /// <summary>Tokens of N(0, 1) noise, one of them (at a random position) replaced by its class's unit prototype × 3 plus noise.</summary>
    private static (FeatureSet Train, FeatureSet Test) MarkedTokens(int train, int test, int tokens, int dim, int classes, int seed)
    {
        var rng = new Random(seed);
        var prototypes = Enumerable.Range(0, classes).Select(_ => Enumerable.Range(0, dim).Select(_ => Synthetic.Gaussian(rng)).ToArray()).ToArray();
        foreach (var p in prototypes)
        {
            double n = Math.Sqrt(p.Sum(v => v * v));
            for (int j = 0; j < dim; j++) p[j] /= n;
        }
        FeatureSet Make(int count)
        {
            var data = new float[count * tokens * dim];
            var labels = new int[count];
            for (int i = 0; i < count; i++)
            {
                for (int j = 0; j < tokens * dim; j++) data[i * tokens * dim + j] = (float)Synthetic.Gaussian(rng);
                labels[i] = rng.Next(classes);
                int at = rng.Next(tokens);
                for (int j = 0; j < dim; j++) data[(i * tokens + at) * dim + j] = (float)(3 * prototypes[labels[i]][j] + 0.3 * Synthetic.Gaussian(rng));
            }
            return new FeatureSet(data, count, tokens * dim, labels, classes);
        }
        return (Make(train), Make(test));
    }

    private static (double Loss, double[] Grads) Run(InferenceSession session, double[] x, long[] labels, double[] flat, long[] shape)
    {
        using var xv = OrtValue.CreateTensorValueFromMemory(x, shape);
        using var y = OrtValue.CreateTensorValueFromMemory(labels, [labels.Length]);
        using var p = OrtValue.CreateTensorValueFromMemory(flat, [flat.Length]);
        using var run = new RunOptions();
        using var outputs = session.Run(run, [LinearProbeRecipe.Features, LinearProbeRecipe.Labels, LinearProbeRecipe.Params], [xv, y, p],
            [LinearProbeRecipe.Loss, LinearProbeRecipe.Grads]);
        return (outputs[0].GetTensorDataAsSpan<double>()[0], outputs[1].GetTensorDataAsSpan<double>().ToArray());
    }
}
