// Forward semantics and contracts of the reference step that finite differences cannot see.
using IJepa.GraphBuilder.Models;

namespace IJepa.GraphBuilder.Tests.Reference;

[TestFixture]
public sealed class ReferenceStepTests
{
    [Test]
    public void SinCos2D_OriginToken_IsSinZeroThenCosZeroInBothHalves()
    {
        var table = ReferenceStep.SinCos2D(16, 3);
        Assert.That(table[..16], Is.EqualTo(new double[] { 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1 }));
    }

    [Test]
    public void SinCos2D_Dim8Grid2_MatchesMaeTable()
    {
        // dim 8: omega = [1, 1/100]; token t = h*2 + w; [sin w*omega | cos w*omega | sin h*omega | cos h*omega].
        double s1 = Math.Sin(1), s2 = Math.Sin(0.01), c1 = Math.Cos(1), c2 = Math.Cos(0.01);
        double[] expected =
        [
            0, 0, 1, 1, 0, 0, 1, 1,             // (h 0, w 0)
            s1, s2, c1, c2, 0, 0, 1, 1,         // (h 0, w 1)
            0, 0, 1, 1, s1, s2, c1, c2,         // (h 1, w 0)
            s1, s2, c1, c2, s1, s2, c1, c2,     // (h 1, w 1)
        ];
        Assert.That(ReferenceStep.SinCos2D(8, 2), Is.EqualTo(expected).Within(1e-16));
    }

    [Test]
    public void SinCos2D_ColumnHalf_UsesTheOmegaLadder()
    {
        var table = ReferenceStep.SinCos2D(32, 4);   // quarter 8: omega_i = 10000^(-i/8)
        int token = 2 * 4 + 3;                        // h 2, w 3
        for (int i = 0; i < 8; i++)
        {
            double omega = Math.Pow(10000, -i / 8.0);
            Assert.That(table[token * 32 + i], Is.EqualTo(Math.Sin(3 * omega)).Within(1e-15));
            Assert.That(table[token * 32 + 24 + i], Is.EqualTo(Math.Cos(2 * omega)).Within(1e-15));
        }
    }

    [Test]
    public void Patchify_TimesConvWeight_EqualsStridedConvolution()
    {
        var spec = new VitSpec(ImgSize: 6, PatchSize: 3, InChans: 2, EmbedDim: 4, Depth: 1, NumHeads: 1);
        int p = 3, g = 2, batch = 2, d = 4, c = 2, img = 6;
        var images = ReferenceInit.Images(spec, batch, seed: 3);
        var w = ReferenceInit.Images(new VitSpec(3, 3, d * c, 4, 1, 1), 1, seed: 4);   // [D, C, p, p] values
        var patches = VisionTransformer.Patchify(images, batch, spec);
        for (int b = 0; b < batch; b++)
            for (int gy = 0; gy < g; gy++)
                for (int gx = 0; gx < g; gx++)
                    for (int o = 0; o < d; o++)
                    {
                        double conv = 0, linear = 0;
                        for (int ch = 0; ch < c; ch++)
                            for (int i = 0; i < p; i++)
                                for (int j = 0; j < p; j++)
                                    conv += w[((o * c + ch) * p + i) * p + j] * images[((b * c + ch) * img + gy * p + i) * img + gx * p + j];
                        for (int k = 0; k < spec.PatchDim; k++)
                            linear += w[o * spec.PatchDim + k] * patches[((b * g * g) + gy * g + gx) * spec.PatchDim + k];
                        Assert.That(linear, Is.EqualTo(conv).Within(1e-12));
                    }
    }

    [Test]
    public void Run_TargetFeatures_AreNormalisedTargetRowsInBlockMajorOrder()
    {
        var c = ReferenceCase.Wide(ReferenceGelu.Exact);
        var r = c.Run();
        int d = 12, n = 9, m = 3;
        var normed = LayerNorm.NoAffine(d, ReferenceStep.TargetNormEps).Forward(r.TargetEncoderOutput);
        for (int block = 0; block < m; block++)
            for (int b = 0; b < c.Batch; b++)
                for (int j = 0; j < c.Nt; j++)
                {
                    int row = block * c.Batch + b;
                    long token = c.TargetIndex[row * c.Nt + j];
                    Assert.That(r.TargetFeatures.AsSpan((row * c.Nt + j) * d, d).ToArray(),
                                Is.EqualTo(normed.AsSpan((int)(b * n + token) * d, d).ToArray()));
                }
    }

    [Test]
    public void Run_Grads_CoverExactlyTheEncoderAndPredictorParameters()
    {
        var c = ReferenceCase.Toy(ReferenceGelu.Exact);
        var keys = c.Run().Grads.Keys.Order(StringComparer.Ordinal);
        var expected = c.Parameters.Keys.Where(k => k.StartsWith("encoder.") || k.StartsWith("predictor.")).Order(StringComparer.Ordinal);
        Assert.That(keys, Is.EqualTo(expected));
        Assert.That(c.Parameters.Keys.Count(k => k.StartsWith("target_encoder.")), Is.EqualTo(16));
    }

    [Test]
    public void Run_QkvBiasKeyThird_HasZeroGradient()
    {
        // softmax ignores a shift common to all keys, so d loss / d k-bias is exactly 0 (up to rounding).
        var c = ReferenceCase.Toy(ReferenceGelu.Exact);
        var grads = c.Run().Grads;
        foreach (var (key, dim) in new[] { ("encoder.blocks.0.attn.qkv.bias", 8), ("predictor.predictor_blocks.0.attn.qkv.bias", 8) })
        {
            var g = grads[key];
            Assert.That(g[dim..(2 * dim)].Max(Math.Abs), Is.LessThan(1e-15), key);
            Assert.That(g[..dim].Max(Math.Abs), Is.GreaterThan(1e-6), key);
        }
    }

    [Test]
    public void Run_TargetEncoderWeightChanged_ChangesTheTargetsNotThePrediction()
    {
        var c = ReferenceCase.Toy(ReferenceGelu.Exact);
        var before = c.Run();
        var weight = (double[])c.Parameters["target_encoder.patch_embed.proj.weight"].Clone();
        weight[5] += 0.3;
        var after = c.Run(new Dictionary<string, double[]>(c.Parameters) { ["target_encoder.patch_embed.proj.weight"] = weight });
        Assert.That(after.TargetFeatures, Is.Not.EqualTo(before.TargetFeatures));
        Assert.That(after.Prediction, Is.EqualTo(before.Prediction));
        Assert.That(after.Loss, Is.Not.EqualTo(before.Loss));
    }

    [Test]
    public void Run_MissingParameter_Throws()
    {
        var c = ReferenceCase.Toy(ReferenceGelu.Exact);
        var partial = new Dictionary<string, double[]>(c.Parameters);
        partial.Remove("predictor.mask_token");
        Assert.That(() => c.Run(partial), Throws.ArgumentException.With.Message.Contains("predictor.mask_token"));
    }

    [Test]
    public void Run_PositionTableAsParameter_Throws()
    {
        var c = ReferenceCase.Toy(ReferenceGelu.Exact);
        var extra = new Dictionary<string, double[]>(c.Parameters) { ["encoder.pos_embed"] = ReferenceStep.SinCos2D(8, 2) };
        Assert.That(() => c.Run(extra), Throws.ArgumentException.With.Message.Contains("encoder.pos_embed"));
    }

    [Test]
    public void Run_IndexOutsideGrid_Throws()
    {
        var c = ReferenceCase.Toy(ReferenceGelu.Exact);
        var bad = (long[])c.ContextIndex.Clone();
        bad[0] = 4;
        Assert.That(() => c.Step.Run(c.Parameters, c.Images, c.Batch, bad, c.Nc, c.TargetIndex, c.Nt), Throws.ArgumentException);
    }
}
