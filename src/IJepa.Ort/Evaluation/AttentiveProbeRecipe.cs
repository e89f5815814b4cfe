// The attentive probe (V-JEPA's evaluation head, reduced to its core) as graphs from our builder: one learned query
// cross-attends with H heads over the frozen patch tokens (LayerNorm without affine, keys and values projected), and a
// linear layer maps the attended vector to class logits; softmax cross-entropy and its gradient by our autodiff.
// Deviation from V-JEPA's AttentivePooler: no query projection, residual or MLP after the attention (a probe, not a block),
// and no key bias (q·b_k is the same for every token, so softmax ignores it).
using IJepa.GraphBuilder.Core;
using IJepa.GraphBuilder.Modules;
using IJepa.Ort.Data;
using N = IJepa.GraphBuilder.Recipes.ArtifactNames;

namespace IJepa.Ort.Evaluation;

/// <summary>
/// The parameters live in one flat vector, in this order: query [D] (head h owns entries h·d..(h+1)·d, d = D/H), key weight
/// [D, D], value weight [D, D] (both [out, in], rows grouped by head), value bias [D], classifier weight [C, D], classifier
/// bias [C] — so that the project's AdamW graph updates them in one call.
/// </summary>
public static class AttentiveProbeRecipe
{
    public const double LayerNormEps = 1e-6;

    public static long ParameterCount(int dim, int classes) => 2L * dim * dim + 2L * dim + (long)classes * dim + classes;

    /// <summary>tokens [B, N, D], labels, params → mean cross-entropy and dloss/dparams (names of <see cref="LinearProbeRecipe"/>).</summary>
    public static Graph Train(int tokens, int dim, int heads, int classes, DType type = DType.Float)
    {
        var g = new Graph("attentive_probe_train");
        var (flat, logits) = Forward(g, tokens, dim, heads, classes, type);
        var labels = g.Input(LinearProbeRecipe.Labels, DType.Int64, Dim.Sym(N.Batch));                // [B]
        var logp = g.LogSoftmax(logits, axis: 1);                                                       // [B, C]
        var picked = g.GatherElements(logp, g.Unsqueeze(labels, 1), axis: 1);                          // [B, 1]
        var loss = g.Neg(g.ReduceMeanAll(picked));                                                      // []
        var grads = GraphBuilder.Autodiff.Autodiff.Gradients(g, loss, [flat]);
        g.Output(loss, LinearProbeRecipe.Loss);
        g.Output(grads[flat], LinearProbeRecipe.Grads);
        return g;
    }

    /// <summary>tokens [B, N, D], params → logits [B, C] and the predicted class (arg max, first on ties) [B].</summary>
    public static Graph Predict(int tokens, int dim, int heads, int classes, DType type = DType.Float)
    {
        var g = new Graph("attentive_probe_predict");
        var (_, logits) = Forward(g, tokens, dim, heads, classes, type);
        var predicted = g.Emit1("ArgMax", [logits], [Attr.Int("axis", 1), Attr.Int("keepdims", 0)], DType.Int64, [logits.Shape[0]]);
        g.Output(logits, LinearProbeRecipe.Logits);
        g.Output(predicted, LinearProbeRecipe.Predicted);
        return g;
    }

    /// <summary>
    /// The head, seeded: query, key and value weights drawn from N(0, 0.02²) (V-JEPA's init, which starts the attention
    /// near uniform, i.e. near the mean readout), the classifier likewise, biases zero; the weights decay, query and biases do not.
    /// </summary>
    public static ProbeHead Head(int tokens, int dim, int heads, int classes, ulong seed)
    {
        long count = ParameterCount(dim, classes);
        var init = new float[count];
        var mask = new float[count];
        var rng = DataRandom.For(seed ^ 0x4154544E50UL, dim, classes);
        foreach (var (offset, length, isBias, decays) in Layout(dim, classes))
        {
            if (!isBias)
                for (long i = offset; i < offset + length; i++) init[i] = (float)(0.02 * Gaussian(ref rng));
            if (decays) mask.AsSpan((int)offset, (int)length).Fill(1f);
        }
        return new ProbeHead(Train(tokens, dim, heads, classes), Predict(tokens, dim, heads, classes), [tokens, dim], init, mask);
    }

    /// <summary>The slices of the flat vector in order — query, Wk, Wv, bv, Wc, bc — with whether each is a bias and decays.</summary>
    private static IEnumerable<(long Offset, long Length, bool IsBias, bool Decays)> Layout(int dim, int classes)
    {
        long dd = (long)dim * dim;
        yield return (0, dim, false, false);
        yield return (dim, dd, false, true);
        yield return (dim + dd, dd, false, true);
        yield return (dim + 2 * dd, dim, true, false);
        yield return (2 * dim + 2 * dd, (long)classes * dim, false, true);
        yield return (2 * dim + 2 * dd + (long)classes * dim, classes, true, false);
    }

    private static double Gaussian(ref DataRandom rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    private static (Value Flat, Value Logits) Forward(Graph g, int tokens, int dim, int heads, int classes, DType type)
    {
        if (heads < 1 || dim % heads != 0) throw new ArgumentException($"{heads} heads do not divide the token width {dim}");
        int d = dim / heads;
        var x = g.Input(LinearProbeRecipe.Features, type, Dim.Sym(N.Batch), tokens, dim);             // [B, N, D]
        var flat = g.Input(LinearProbeRecipe.Params, type, ParameterCount(dim, classes));             // [P]
        var part = Layout(dim, classes).Select(s => g.Slice(flat, [s.Offset], [s.Offset + s.Length], [0])).ToArray();
        var query = g.Reshape(part[0], heads, 1, d);                                                    // [H, 1, d]
        var wk = g.Reshape(part[1], heads, d, dim);                                                     // [H, d, D]
        var wv = g.Reshape(part[2], heads, d, dim);                                                     // [H, d, D]
        var wc = g.Reshape(part[4], classes, dim);                                                      // [C, D]

        var numerics = type == DType.Double ? Numerics.Float64 : Numerics.Float32;
        var xn = new Nn(g, numerics).Normalize(x, LayerNormEps);                                        // [B, N, D]
        // q·(Wk·x) per head = (Wkᵀ·q)·x: the query moved into token space, so keys are never materialised
        var qk = g.Mul(g.Reshape(g.MatMul(query, wk), heads, dim), 1 / Math.Sqrt(d));                   // [H, D]
        var scores = g.Transpose(g.MatMul(xn, g.Transpose(qk, 1, 0)), 0, 2, 1);                        // [B, H, N]
        var attention = g.Softmax(scores, axis: -1);                                                    // [B, H, N]
        // Σₙ aₙ·(Wv·xₙ) = Wv·(Σₙ aₙ·xₙ): pool the tokens per head first, then project to that head's d values
        var pooled = g.Transpose(g.MatMul(attention, xn), 1, 0, 2);                                     // [H, B, D]
        var values = g.MatMul(pooled, g.Transpose(wv, 0, 2, 1));                                        // [H, B, d]
        var attended = g.Add(g.Reshape(g.Transpose(values, 1, 0, 2), -1, dim), part[3]);               // [B, D]
        return (flat, g.Gemm(attended, wc, part[5], transB: true));                                     // [B, C]
    }
}
