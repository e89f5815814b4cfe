// Reads and writes manifest.json (snake_case keys, deterministic layout).
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IJepa.GraphBuilder.Core;
using IJepa.GraphBuilder.Models;

namespace IJepa.GraphBuilder.Recipes;

public static class ManifestJson
{
    public static string Write(Manifest m)
    {
        var e = m.Spec.Encoder;
        var p = m.Spec.Predictor;
        var root = new JsonObject
        {
            ["schema_version"] = m.SchemaVersion,
            ["preset"] = m.Preset,
            ["preset_hash"] = m.PresetHash,
            ["precision"] = m.Spec.Precision.ToString().ToLowerInvariant(),
            ["encoder"] = new JsonObject
            {
                ["img_size"] = e.ImgSize, ["patch_size"] = e.PatchSize, ["in_chans"] = e.InChans,
                ["embed_dim"] = e.EmbedDim, ["depth"] = e.Depth, ["num_heads"] = e.NumHeads,
                ["mlp_ratio"] = e.MlpRatio, ["qkv_bias"] = e.QkvBias, ["layer_norm_eps"] = e.LayerNormEps,
                ["num_patches"] = e.NumPatches,
            },
            ["predictor"] = new JsonObject { ["pred_emb_dim"] = p.PredEmbDim, ["pred_depth"] = p.PredDepth, ["pred_num_heads"] = p.PredNumHeads },
            ["num_pred_masks"] = m.Spec.NumPredMasks,
            ["alignment_bytes"] = Manifest.AlignmentBytes,
            ["buffers"] = new JsonObject(m.BufferLengths.OrderBy(kv => kv.Key).Select(kv => KeyValuePair.Create(BufferName(kv.Key), (JsonNode?)kv.Value))),
            ["parameters"] = new JsonArray(m.Parameters.Select(ParamJson).ToArray()),
            ["graphs"] = new JsonObject(m.Graphs.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)GraphJson(kv.Value)))),
        };
        var o = m.Spec.Objective;
        if (!o.IsUpstream)   // only a lever writes the key, so upstream's manifests keep their bytes
            root.Insert(root.IndexOf("num_pred_masks") + 1, "objective", new JsonObject
            {
                ["target_blocks"] = o.TargetBlocks, ["vc_variance"] = o.VarianceWeight, ["vc_covariance"] = o.CovarianceWeight,
            });
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    public static Manifest Read(string json, string file)
    {
        JsonNode root;
        try { root = JsonNode.Parse(json) ?? throw new FormatException("empty"); }
        catch (Exception ex) when (ex is JsonException or FormatException) { throw new FormatException($"{file}: not valid JSON: {ex.Message}", ex); }
        T Get<T>(JsonNode? n, string key) => n?[key] is { } v ? v.GetValue<T>() : throw new FormatException($"{file}: missing key {key}");
        int schema = Get<int>(root, "schema_version");
        if (schema != Manifest.CurrentSchema) throw new FormatException($"{file}: schema_version {schema}, expected {Manifest.CurrentSchema}: rebuild the graphs");
        var e = root["encoder"];
        var p = root["predictor"];
        var spec = new ArtifactSpec(
            Get<string>(root, "preset"),
            new VitSpec(Get<int>(e, "img_size"), Get<int>(e, "patch_size"), Get<int>(e, "in_chans"), Get<int>(e, "embed_dim"),
                Get<int>(e, "depth"), Get<int>(e, "num_heads"), Get<double>(e, "mlp_ratio"), Get<bool>(e, "qkv_bias"), Get<double>(e, "layer_norm_eps")),
            new PredictorSpec(Get<int>(p, "pred_emb_dim"), Get<int>(p, "pred_depth"), Get<int>(p, "pred_num_heads")),
            Get<int>(root, "num_pred_masks"),
            Get<string>(root, "precision") == "float64" ? Precision.Float64 : Precision.Float32)
        {
            Objective = root["objective"] is { } o
                ? new TrainObjective(Get<int>(o, "target_blocks"), Get<double>(o, "vc_variance"), Get<double>(o, "vc_covariance"))
                : TrainObjective.Upstream,
        };
        var parameters = root["parameters"]!.AsArray().Select(n => new ManifestParameter(
            Get<string>(n, "name"), n!["shape"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray(), ParseType(Get<string>(n, "dtype")),
            Get<string>(n, "role"), Get<bool>(n, "trainable"), Get<bool>(n, "weight_decay"),
            new InitRule(Get<string>(n["init"], "kind"), Get<double>(n["init"], "std"), Get<double>(n["init"], "scale")),
            Enum.Parse<ParamBuffer>(Get<string>(n, "buffer"), ignoreCase: true), Get<long>(n, "offset"))).ToList();
        var buffers = root["buffers"]!.AsObject().ToDictionary(kv => Enum.Parse<ParamBuffer>(kv.Key, ignoreCase: true), kv => kv.Value!.GetValue<long>());
        var graphs = root["graphs"]!.AsObject().ToDictionary(kv => kv.Key, kv => new ManifestGraph(
            Get<string>(kv.Value, "file"), Values(kv.Value!["inputs"]!), Values(kv.Value!["outputs"]!)));
        return new Manifest(schema, spec.Preset, Get<string>(root, "preset_hash"), spec, parameters, buffers, graphs);

        ManifestValue[] Values(JsonNode arr) => arr.AsArray().Select(v => new ManifestValue(
            Get<string>(v, "name"), ParseType(Get<string>(v, "dtype")), v!["dims"]!.AsArray().Select(d => d!.GetValue<string>()).ToArray())).ToArray();
    }

    private static string BufferName(ParamBuffer b) => b.ToString().ToLowerInvariant();

    private static JsonObject ParamJson(ManifestParameter p) => new()
    {
        ["name"] = p.Name,
        ["shape"] = new JsonArray(p.Shape.Select(d => (JsonNode?)d).ToArray()),
        ["dtype"] = TypeName(p.Type),
        ["role"] = p.Role,
        ["trainable"] = p.Trainable,
        ["weight_decay"] = p.WeightDecay,
        ["init"] = new JsonObject { ["kind"] = p.Init.Kind, ["std"] = p.Init.Std, ["scale"] = p.Init.Scale },
        ["buffer"] = BufferName(p.Buffer),
        ["offset"] = p.Offset,
    };

    private static JsonObject GraphJson(ManifestGraph g) => new()
    {
        ["file"] = g.File,
        ["inputs"] = new JsonArray(g.Inputs.Select(ValueJson).ToArray()),
        ["outputs"] = new JsonArray(g.Outputs.Select(ValueJson).ToArray()),
    };

    private static JsonNode ValueJson(ManifestValue v) => new JsonObject
    {
        ["name"] = v.Name,
        ["dtype"] = TypeName(v.Type),
        ["dims"] = new JsonArray(v.Dims.Select(d => (JsonNode?)d).ToArray()),
    };

    private static string TypeName(DType t) => t.ToString().ToLowerInvariant();
    private static DType ParseType(string s) => Enum.Parse<DType>(s, ignoreCase: true);
}
