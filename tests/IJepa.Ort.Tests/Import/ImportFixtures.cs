// Test support for import: ViT-H/14 (the official in1k_vith14_ep300 config) scaled down, random source weights under our
// names, and the two foreign layouts built from them — upstream's .pth.tar dict and Hugging Face's IJepaModel safetensors.
using IJepa.GraphBuilder.Recipes;
using IJepa.Ort.Checkpoints;
using IJepa.Ort.Config;
using IJepa.Ort.Data;
using IJepa.Ort.Evaluation;
using IJepa.Ort.Export;
using IJepa.Ort.Graphs;
using IJepa.Ort.Tests.Config;
using IJepa.Ort.Tests.Data;

namespace IJepa.Ort.Tests.Import;

internal sealed record SmallModel(string ConfigPath, IJepaConfig Config, Manifest Manifest);

internal static class ImportFixtures
{
    public const string Preset = "vith14-small";

    /// <summary>in1k_vith14_ep300 at 56 px (4x4 patches of 14), width 32, 2 blocks, 2 heads; predictor 16 wide, 1 block; min_keep 0 (blocks of 1 patch).</summary>
    public static SmallModel SmallVitH(TempDirectory dir)
    {
        var config = ConfigLoader.Load(Presets.PathOf("in1k_vith14_ep300.yaml"),
        [
            new("data.crop_size", "56"), new("ijepa_ort.model.embed_dim", "32"), new("ijepa_ort.model.depth", "2"),
            new("ijepa_ort.model.num_heads", "2"), new("ijepa_ort.model.pred_num_heads", "2"), new("meta.pred_depth", "1"),
            new("meta.pred_emb_dim", "16"), new("mask.min_keep", "0"),
        ]);
        var path = dir.Combine(Preset + ".yaml");
        ConfigWriter.Save(config, path);
        var (_, manifest) = PresetGraphs.Resolve(config, Preset, dir.Combine("no-graphs"), dir.Combine("graphs"));
        return new SmallModel(path, config, manifest);
    }

    /// <summary>Every parameter of the manifest (position tables too), N(0, 0.05²), by our name.</summary>
    public static Dictionary<string, float[]> RandomWeights(Manifest manifest, int seed)
    {
        var rng = new Random(seed);
        return manifest.Parameters.ToDictionary(p => p.Name, p => Enumerable.Range(0, (int)p.Count).Select(_ => (float)(rng.NextDouble() - 0.5) * 0.2f).ToArray());
    }

    /// <summary>Upstream's save_checkpoint dict: DDP-prefixed state dicts plus opt, scaler, epoch, loss, batch_size, world_size, lr.</summary>
    public static Dictionary<string, object?> UpstreamDict(Manifest manifest, Dictionary<string, float[]> weights)
    {
        var root = new Dictionary<string, object?>();
        foreach (var section in new[] { CheckpointKeys.Encoder, CheckpointKeys.Predictor, CheckpointKeys.TargetEncoder })
            root[section] = new PickledOrderedDict(manifest.Parameters.Where(p => p.Role == section)
                .Select(p => KeyValuePair.Create(CheckpointKeys.DdpPrefix + p.Name[(section.Length + 1)..], (object?)PickledTensor.Contiguous(weights[p.Name], p.Shape)))
                .ToList());
        root["opt"] = new Dictionary<string, object?>
        {
            ["state"] = new Dictionary<string, object?>(),
            ["param_groups"] = new List<object?> { new Dictionary<string, object?> { ["lr"] = 1e-3, ["weight_decay"] = 0.04, ["params"] = new List<object?> { 0L, 1L } } },
        };
        root["scaler"] = null;
        root["epoch"] = 300L;
        root["loss"] = 0.0625;
        root["batch_size"] = 128L;
        root["world_size"] = 16L;
        root["lr"] = 1e-3;
        return root;
    }

    /// <summary>The encoder of <paramref name="weights"/> (section <paramref name="scope"/>) in IJepaModel's names, q/k/v split.</summary>
    public static void WriteHuggingFace(string path, Manifest manifest, Dictionary<string, float[]> weights, string scope = CheckpointKeys.Encoder)
    {
        var tensors = new List<(string Name, long[] Shape, float[] Data)>();
        foreach (var p in manifest.Parameters.Where(p => p.Role == scope))
        {
            string key = p.Name[(scope.Length + 1)..];
            var w = weights[p.Name];
            var parts = key.Split('.');
            if (parts[0] == "blocks" && parts[2] == "attn" && parts[3] == "qkv")
            {
                int rows = (int)p.Shape[0] / 3, cols = p.Shape.Length > 1 ? (int)p.Shape[1] : 1;
                string[] names = ["query", "key", "value"];
                for (int i = 0; i < 3; i++)
                    tensors.Add(($"encoder.layer.{parts[1]}.attention.attention.{names[i]}.{parts[4]}",
                        p.Shape.Length > 1 ? [rows, cols] : [rows], w[(i * rows * cols)..((i + 1) * rows * cols)]));
                continue;
            }
            string hf = parts switch
            {
                ["pos_embed"] => "embeddings.position_embeddings",
                ["patch_embed", "proj", var k] => $"embeddings.patch_embeddings.projection.{k}",
                ["norm", var k] => $"layernorm.{k}",
                ["blocks", var i, "norm1", var k] => $"encoder.layer.{i}.layernorm_before.{k}",
                ["blocks", var i, "norm2", var k] => $"encoder.layer.{i}.layernorm_after.{k}",
                ["blocks", var i, "attn", "proj", var k] => $"encoder.layer.{i}.attention.output.dense.{k}",
                ["blocks", var i, "mlp", "fc1", var k] => $"encoder.layer.{i}.intermediate.dense.{k}",
                ["blocks", var i, "mlp", "fc2", var k] => $"encoder.layer.{i}.output.dense.{k}",
                _ => throw new ArgumentException(key),
            };
            tensors.Add((hf, p.Shape, w));
        }
        using var stream = File.Create(path);
        var writer = new SafeTensorsWriter(stream, tensors.Select(t => new SafeTensorSpec(t.Name, SafeTensorDType.F32, t.Shape)).ToList(),
            new Dictionary<string, string> { ["format"] = "pt" });
        foreach (var t in tensors) writer.Write(t.Data);
        writer.Complete();
    }

    /// <summary>Pooled features of a few 56x56 RGB images through the encoder section <paramref name="scope"/> of <paramref name="weights"/>.</summary>
    public static float[] SourceFeatures(SmallModel model, Dictionary<string, float[]> weights, string scope) =>
        Features(EncoderExport.Build(model.Config, Preset, "source", 0, 0, "source weights",
            (param, into) => weights[scope + param.Name[CheckpointKeys.Encoder.Length..]].CopyTo(into)));

    public static float[] Features(EncoderModel model) =>
        FeatureExtractor.Encode(model, new SyntheticDataset(6, 56, 56, 3), batchSize: 3, threads: 1).Data;
}
