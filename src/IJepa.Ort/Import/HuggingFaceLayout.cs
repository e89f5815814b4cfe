// Hugging Face transformers' IJepaModel safetensors (models/ijepa: the ViT layout without a CLS token, converted from
// upstream's context `encoder`): embeddings.*, encoder.layer.<i>.*, layernorm.*, optionally under "ijepa." (a model saved
// from IJepaForImageClassification). Its query, key and value projections are separate; ours are one fused qkv
// ([3·D, D] = query rows, then key, then value, as upstream's timm-style Attention holds them).
using System.Text.RegularExpressions;
using IJepa.Ort.Checkpoints;
using IJepa.Ort.Errors;

namespace IJepa.Ort.Import;

public static partial class HuggingFaceLayout
{
    /// <summary>HF name (without prefix) → our encoder key; "{0}" is the block index.</summary>
    private static readonly (Regex Hf, string Ours)[] Renames =
    [
        (Rx(@"embeddings\.position_embeddings"), "pos_embed"),
        (Rx(@"embeddings\.patch_embeddings\.projection\.(weight|bias)"), "patch_embed.proj.{1}"),
        (Rx(@"encoder\.layer\.(\d+)\.layernorm_before\.(weight|bias)"), "blocks.{0}.norm1.{1}"),
        (Rx(@"encoder\.layer\.(\d+)\.attention\.output\.dense\.(weight|bias)"), "blocks.{0}.attn.proj.{1}"),
        (Rx(@"encoder\.layer\.(\d+)\.layernorm_after\.(weight|bias)"), "blocks.{0}.norm2.{1}"),
        (Rx(@"encoder\.layer\.(\d+)\.intermediate\.dense\.(weight|bias)"), "blocks.{0}.mlp.fc1.{1}"),
        (Rx(@"encoder\.layer\.(\d+)\.output\.dense\.(weight|bias)"), "blocks.{0}.mlp.fc2.{1}"),
        (Rx(@"layernorm\.(weight|bias)"), "norm.{1}"),
    ];

    [GeneratedRegex(@"^encoder\.layer\.(\d+)\.attention\.attention\.(query|key|value)\.(weight|bias)$")]
    private static partial Regex QkvPart();

    private static readonly string[] QkvOrder = ["query", "key", "value"];
    private const string ClassifierPrefix = "ijepa.";

    /// <summary>The file of a model folder (model.safetensors) or the file itself.</summary>
    public static string Resolve(string path) => Directory.Exists(path) ? Path.Combine(path, "model.safetensors") : path;

    public static SourceTensors Map(SafeTensorsReader file)
    {
        var source = new SourceTensors { Layout = "Hugging Face IJepaModel safetensors" };
        source.Sections.Add(CheckpointKeys.Encoder);
        var parts = new Dictionary<(string Block, string Kind), Dictionary<string, SafeTensorInfo>>();
        foreach (var info in file.Tensors)
        {
            string key = info.Name.StartsWith(ClassifierPrefix, StringComparison.Ordinal) ? info.Name[ClassifierPrefix.Length..] : info.Name;
            if (info.DType is not (SafeTensorDType.F32 or SafeTensorDType.F64))
                throw DataException.At(file.Path, $"tensor {info.Name} is {info.DType}; float32 or float64 weights are read");
            if (QkvPart().Match(key) is { Success: true } q)
            {
                var slot = (q.Groups[1].Value, q.Groups[3].Value);
                if (!parts.TryGetValue(slot, out var three)) parts[slot] = three = [];
                three[q.Groups[2].Value] = info;
                continue;
            }
            var rename = Renames.Select(r => (r.Ours, Match: r.Hf.Match(key))).FirstOrDefault(r => r.Match.Success);
            if (rename.Match is null)
            {
                if (key.StartsWith("pooler.", StringComparison.Ordinal) || key.StartsWith("classifier.", StringComparison.Ordinal))
                    source.Notes.Add($"not imported: {info.Name} (a head, not part of the encoder)");
                else source.Unexpected.Add(info.Name);
                continue;
            }
            var groups = rename.Match.Groups.Values.Skip(1).Select(g => g.Value).ToArray();
            string ours = CheckpointKeys.Encoder + "." + string.Format(rename.Ours, groups.Length switch { 0 => [], 1 => ["", groups[0]], _ => groups });
            source.ByName[ours] = new SourceTensor(info.Name, info.Shape, into => Read(file, info, into));
        }
        foreach (var ((block, kind), three) in parts)
        {
            var missing = QkvOrder.Where(p => !three.ContainsKey(p)).ToArray();
            if (missing.Length > 0)
            {
                source.Missing.AddRange(missing.Select(p => $"encoder.layer.{block}.attention.attention.{p}.{kind}"));
                continue;
            }
            var infos = QkvOrder.Select(p => three[p]).ToArray();
            if (infos.Any(i => !i.Shape.SequenceEqual(infos[0].Shape)))
            {
                source.Unexpected.Add($"{infos[0].Name} (query, key and value differ in shape)");
                continue;
            }
            long[] shape = [3 * infos[0].Shape[0], .. infos[0].Shape.Skip(1)];
            source.ByName[$"{CheckpointKeys.Encoder}.blocks.{block}.attn.qkv.{kind}"] = new SourceTensor(
                string.Join(" + ", infos.Select(i => i.Name)), shape, into =>
                {
                    int part = into.Length / 3;
                    for (int i = 0; i < 3; i++) Read(file, infos[i], into.Slice(i * part, part));   // rows: query, key, value
                });
        }
        return source;
    }

    private static void Read(SafeTensorsReader file, SafeTensorInfo info, Span<float> into)
    {
        if (info.DType == SafeTensorDType.F32) { file.ReadInto(info.Name, into); return; }
        var doubles = file.ReadF64(info.Name);
        for (int i = 0; i < into.Length; i++) into[i] = (float)doubles[i];
    }

    private static Regex Rx(string pattern) => new("^" + pattern + "$", RegexOptions.CultureInvariant);
}
