// Composite check: one pre-LN transformer block built from Graph ops passes the finite-difference check for every input.
using IJepa.GraphBuilder.Core;
using IJepa.GraphBuilder.Tests.Support;

namespace IJepa.GraphBuilder.Tests.Autodiff;

public class TransformerBlockGradTests
{
    private const int B = 2, N = 3, D = 8, Heads = 2, Hidden = 16;
    private const int HeadDim = D / Heads;

    /// <summary>
    /// x + attn(LN₁(x)), then + MLP(LN₂(·)) with tanh GELU, all float64: LayerNorm from primitives (the fused op keeps
    /// float32 statistics), attention through Reshape/Transpose/Split/Squeeze/MatMul/Softmax as the modules write it.
    /// Inputs: x, ln1.{weight,bias}, qkv.{weight,bias}, proj.{weight,bias}, ln2.{weight,bias}, fc1.{weight,bias}, fc2.{weight,bias}.
    /// </summary>
    private static Value Block(Graph g, Value[] p)
    {
        var x = p[0];                                                                   // [B, N, D]
        var h = NnRuleTests.PrimitiveLayerNorm(g, x, p[1], p[2], 1e-6);
        var qkv = g.Add(g.MatMul(h, p[3]), p[4]);                                       // [B, N, 3D]
        var heads = g.Transpose(g.Reshape(qkv, 0, 0, 3, Heads, HeadDim), 2, 0, 3, 1, 4); // [3, B, H, N, Dh]
        var qkvParts = g.Split(heads, 0, 1, 1, 1).Select(t => g.Squeeze(t, 0)).ToArray(); // 3 × [B, H, N, Dh]
        var (q, k, v) = (qkvParts[0], qkvParts[1], qkvParts[2]);
        var scores = g.Mul(g.MatMul(q, g.Transpose(k, 0, 1, 3, 2)), 1 / Math.Sqrt(HeadDim)); // [B, H, N, N]
        var attended = g.MatMul(g.Softmax(scores), v);                                  // [B, H, N, Dh]
        var merged = g.Reshape(g.Transpose(attended, 0, 2, 1, 3), 0, 0, -1);           // [B, N, D]
        x = g.Add(x, g.Add(g.MatMul(merged, p[5]), p[6]));

        var h2 = NnRuleTests.PrimitiveLayerNorm(g, x, p[7], p[8], 1e-6);
        var hidden = g.Gelu(g.Add(g.MatMul(h2, p[9]), p[10]), "tanh");                 // [B, N, Hidden]
        return g.Add(x, g.Add(g.MatMul(hidden, p[11]), p[12]));                        // [B, N, D]
    }

    [Test]
    public void PreLnBlock_AllInputs_MatchFiniteDifferences()
    {
        var rng = new Random(8);
        HostTensor Weight(params long[] shape) => HostTensor.Of(shape, _ => 0.5 * (rng.NextDouble() * 2 - 1));
        HostTensor Scale() => HostTensor.Of([D], _ => 0.5 + rng.NextDouble());
        HostTensor[] inputs =
        [
            HostTensor.Random(rng, B, N, D),
            Scale(), Weight(D), Weight(D, 3 * D), Weight(3 * D), Weight(D, D), Weight(D),
            Scale(), Weight(D), Weight(D, Hidden), Weight(Hidden), Weight(Hidden, D), Weight(D),
        ];

        Assert.That(GradCheck.MaxRelativeError(Block, inputs), Is.LessThan(1e-5));
    }
}
