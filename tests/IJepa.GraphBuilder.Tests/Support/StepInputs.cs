// Test support: random weights, images and masks for a train-step graph, keyed by graph input name.
using IJepa.GraphBuilder.Core;
using IJepa.GraphBuilder.Models;
using IJepa.GraphBuilder.Modules;
using N = IJepa.GraphBuilder.Recipes.ArtifactNames;

namespace IJepa.GraphBuilder.Tests.Support;

public static class StepInputs
{
    /// <summary>A tiny spec: 8×8×2 image, patch 4 (4 tokens), D 8, 1 block, 2 heads, predictor 8/1/2, 2 targets.</summary>
    public static ArtifactSpec Toy(Precision p = Precision.Float64, int depth = 1) =>
        new("toy", new VitSpec(8, 4, 2, 8, depth, 2), new PredictorSpec(8, depth, 2), 2, p);

    /// <summary>Generic (noisy) parameters for every parameter input, fixed sin-cos tables, random images and masks.</summary>
    public static Dictionary<string, HostTensor> Make(Graph graph, ArtifactSpec spec, int batch, long[] context, int nc, long[] targets, int nt, int seed = 0, double noise = 0.3)
    {
        var rng = new Random(seed);
        var feed = new Dictionary<string, HostTensor>();
        foreach (var p in graph.Parameters)
        {
            var dims = p.Dims;
            if (p.Init == InitRule.SinCos2D)
                feed[p.Name] = new HostTensor(PosEmbed.SinCos2D((int)dims[^1], spec.Encoder.GridSize), dims);
            else
            {
                double center = p.Init == InitRule.Ones ? 1 : 0, scale = p.Init.Kind == "trunc_normal" ? 0.3 : noise;
                feed[p.Name] = HostTensor.Of(dims, _ => center + scale * Gaussian(rng));
            }
        }
        var e = spec.Encoder;
        feed[N.Images] = HostTensor.Of([batch, e.InChans, e.ImgSize, e.ImgSize], _ => Gaussian(rng));
        feed[N.ContextIndex] = new HostTensor(context.Select(v => (double)v).ToArray(), [batch, nc]);
        feed[N.TargetIndex] = new HostTensor(targets.Select(v => (double)v).ToArray(), [spec.NumPredMasks, batch, nt]);
        return feed;
    }

    public static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
