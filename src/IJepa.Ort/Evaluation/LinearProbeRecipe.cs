// The linear probe as graphs from our builder: a linear layer over frozen features, softmax cross-entropy, its gradient.
using IJepa.GraphBuilder.Core;
using N = IJepa.GraphBuilder.Recipes.ArtifactNames;

namespace IJepa.Ort.Evaluation;

/// <summary>
/// The probe's parameters live in one flat vector [C·D + C] — the weight [C, D] row-major, then the bias [C] — so that
/// the project's AdamW graph (<c>OptimizerRecipe</c>, over flat buffers) updates them in one call.
/// </summary>
public static class LinearProbeRecipe
{
    public const string Features = "features";     // [B, D]
    public const string Labels = "labels";         // int64 [B]
    public const string Params = N.Params;         // [C·D + C]
    public const string Loss = N.Loss;             // []
    public const string Grads = N.Grads;           // [C·D + C]
    public const string Logits = "logits";         // [B, C]
    public const string Predicted = "predicted";   // int64 [B]

    public static long ParameterCount(int dim, int classes) => (long)classes * dim + classes;

    /// <summary>The probe as a trainable head: zero initial weights; the weight decays, the bias does not (upstream's AdamW groups).</summary>
    public static ProbeHead Head(int dim, int classes)
    {
        var mask = new float[ParameterCount(dim, classes)];
        mask.AsSpan(0, classes * dim).Fill(1f);
        return new ProbeHead(Train(dim, classes), Predict(dim, classes), [dim], new float[mask.Length], mask);
    }

    /// <summary>features, labels, params → loss = mean over the batch of −log softmax(x·Wᵀ + b)[label], and dloss/dparams.</summary>
    public static Graph Train(int dim, int classes, DType type = DType.Float)
    {
        var g = new Graph("linear_probe_train");
        var (_, flat, logits) = Forward(g, dim, classes, type);
        var labels = g.Input(Labels, DType.Int64, Dim.Sym(N.Batch));                                  // [B]
        var logp = g.LogSoftmax(logits, axis: 1);                                                       // [B, C]
        var picked = g.GatherElements(logp, g.Unsqueeze(labels, 1), axis: 1);                          // [B, 1]
        var loss = g.Neg(g.ReduceMeanAll(picked));                                                      // []
        var grads = GraphBuilder.Autodiff.Autodiff.Gradients(g, loss, [flat]);
        g.Output(loss, Loss);
        g.Output(grads[flat], Grads);
        return g;
    }

    /// <summary>features, params → logits [B, C] and the predicted class (arg max, first on ties) [B].</summary>
    public static Graph Predict(int dim, int classes, DType type = DType.Float)
    {
        var g = new Graph("linear_probe_predict");
        var (_, _, logits) = Forward(g, dim, classes, type);
        var predicted = g.Emit1("ArgMax", [logits], [Attr.Int("axis", 1), Attr.Int("keepdims", 0)], DType.Int64, [logits.Shape[0]]);
        g.Output(logits, Logits);
        g.Output(predicted, Predicted);
        return g;
    }

    private static (Value Features, Value Flat, Value Logits) Forward(Graph g, int dim, int classes, DType type)
    {
        long weights = (long)classes * dim;
        var features = g.Input(Features, type, Dim.Sym(N.Batch), dim);                                // [B, D]
        var flat = g.Input(Params, type, ParameterCount(dim, classes));                               // [C·D + C]
        var w = g.Reshape(g.Slice(flat, [0], [weights], [0]), classes, dim);                          // [C, D]
        var b = g.Slice(flat, [weights], [weights + classes], [0]);                                   // [C]
        return (features, flat, g.Gemm(features, w, b, transB: true));                                // [B, C]
    }
}
