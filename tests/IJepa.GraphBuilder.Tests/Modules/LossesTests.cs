// The data2vec targets (ijepa_ort.target_blocks): each block layer-normalised, averaged, gathered as upstream's targets.
using IJepa.GraphBuilder.Core;
using IJepa.GraphBuilder.Models;
using IJepa.GraphBuilder.Modules;
using IJepa.GraphBuilder.Tests.Support;

namespace IJepa.GraphBuilder.Tests.Modules;

public class LossesTests
{
    private const int B = 2, N = 3, D = 4, Nt = 2, M = 2;

    [TestCase(Precision.Float64)]
    [TestCase(Precision.Float32)]
    public void LayerAverageTargets_ThreeBlocks_AverageOfEachBlocksLayerNorm(Precision precision)
    {
        var rng = new Random(9);
        var blocks = Enumerable.Range(0, 3).Select(k => HostTensor.Of([B, N, D], _ => (k + 1) * (rng.NextDouble() * 2 - 1) + k)).ToArray();
        long[] index = [0, 2, 1, 1, 2, 0, 0, 1];                                    // [M·B, Nt], row m·B + b
        var nn = new Nn(new Graph("layer_average"), Numerics.ForTraining(precision));
        var g = nn.G;
        var inputs = blocks.Select((_, k) => g.Input($"h{k}", nn.Type, B, N, D)).ToArray();
        var flat = g.Input("index", DType.Int64, M * B, Nt);
        g.Output(Losses.LayerAverageTargets(nn, inputs, flat, M), "y");
        var feed = blocks.Select((t, k) => ($"h{k}", t)).ToDictionary(p => p.Item1, p => p.Item2);
        feed["index"] = new HostTensor(index.Select(i => (double)i).ToArray(), [M * B, Nt]);
        using var eval = new OrtEval(g);
        var y = eval.Run(feed)["y"];

        Assert.That(y.Shape, Is.EqualTo(new long[] { M * B, Nt, D }));
        for (int row = 0; row < M * B; row++)
            for (int t = 0; t < Nt; t++)
            {
                int b = row % B, token = (int)index[row * Nt + t];
                var expected = new double[D];
                foreach (var block in blocks)
                {
                    var x = Enumerable.Range(0, D).Select(j => block.Data[(b * N + token) * D + j]).ToArray();
                    double mean = x.Average(), variance = x.Select(v => (v - mean) * (v - mean)).Average();
                    for (int j = 0; j < D; j++) expected[j] += (x[j] - mean) / Math.Sqrt(variance + 1e-5) / blocks.Length;
                }
                for (int j = 0; j < D; j++)
                    Assert.That(y.Data[(row * Nt + t) * D + j], Is.EqualTo(expected[j]).Within(precision == Precision.Float64 ? 1e-12 : 1e-5),
                        $"row {row} token {t} dim {j}");
            }
    }
}
