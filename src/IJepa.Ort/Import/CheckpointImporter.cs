// `ijepa-ort import`: an upstream .pth.tar or a Hugging Face IJepaModel safetensors, mapped onto the manifest of a config
// and written as our checkpoint (runs/NAME/checkpoints/latest.safetensors, step 0, zero Adam moments), which export, embed,
// probe and `train --resume` (fine-tuning) take like any other. Every missing, unexpected or mis-shaped key is named.
using IJepa.GraphBuilder.Recipes;
using IJepa.Ort.Checkpoints;
using IJepa.Ort.Config;
using IJepa.Ort.Errors;
using IJepa.Ort.Graphs;
using IJepa.Ort.Runtime;

namespace IJepa.Ort.Import;

public sealed record ImportRequest(string Source, string ConfigPath, string RunDir, string GraphsRoot = "graphs");

/// <param name="Copied">Parameters filled from the other encoder section (a source with one encoder fills both).</param>
/// <param name="Initialised">Parameters the source lacks that were initialised as a fresh run would (e.g. the predictor of an HF model).</param>
public sealed record ImportResult(string Checkpoint, string Layout, int Imported, IReadOnlyList<string> Copied, IReadOnlyList<string> Initialised, IReadOnlyList<string> Notes);

public static class CheckpointImporter
{
    public static ImportResult Import(ImportRequest request)
    {
        if (!File.Exists(request.Source) && !Directory.Exists(request.Source)) throw DataException.At(request.Source, "no such checkpoint file or model folder");
        var config = ConfigLoader.Load(request.ConfigPath);
        string preset = PresetGraphs.PresetName(request.ConfigPath);
        Directory.CreateDirectory(request.RunDir);
        var (_, manifest) = PresetGraphs.Resolve(config, preset, Path.Combine(request.GraphsRoot, preset), Path.Combine(request.RunDir, "graphs"));

        if (IsZip(request.Source))
        {
            using var torch = TorchCheckpointFile.Open(request.Source);
            return Write(request, config, preset, manifest, UpstreamLayout.Map(torch));
        }
        using var safetensors = SafeTensorsReader.Open(HuggingFaceLayout.Resolve(request.Source));
        return Write(request, config, preset, manifest, HuggingFaceLayout.Map(safetensors));
    }

    private static ImportResult Write(ImportRequest request, IJepaConfig config, string preset, Manifest manifest, SourceTensors source)
    {
        int grid = config.Encoder().GridSize;
        var tensors = new List<NamedTensor>();
        var copied = new List<string>();
        var initialised = new List<string>();
        var misshaped = new List<string>();
        var missing = new List<string>(source.Missing);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var read = new Dictionary<string, float[]>(StringComparer.Ordinal);   // an encoder read once serves both sections
        foreach (var p in manifest.Parameters)
        {
            var from = Find(source, p, out bool isCopy);
            if (from is null)
            {
                // A table the source does not hold (fixed sin-cos) or a whole section it lacks (predictor): a fresh run's values.
                if (p.Init.Kind == "sincos2d" || !source.Sections.Contains(p.Role))
                {
                    var fresh = new float[p.Count];
                    ParameterInit.Fill(p, fresh, config.IJepaOrt.Seed, grid);
                    tensors.Add(new NamedTensor(p.Name, p.Shape, fresh));
                    initialised.Add(p.Name);
                }
                else missing.Add(p.Name);
                continue;
            }
            used.Add(from.Value.Name);
            if (!from.Value.Tensor.Shape.SequenceEqual(p.Shape))
            {
                misshaped.Add($"{from.Value.Tensor.SourceKey} is {ShapeText.Format(from.Value.Tensor.Shape)}, {p.Name} is {ShapeText.Format(p.Shape)}");
                continue;
            }
            if (!read.TryGetValue(from.Value.Name, out var data))
            {
                data = new float[p.Count];
                from.Value.Tensor.Read(data);
                read[from.Value.Name] = data;
            }
            tensors.Add(new NamedTensor(p.Name, p.Shape, data));
            if (isCopy) copied.Add(p.Name);
        }
        var unexpected = source.Unexpected.Concat(source.ByName.Where(kv => !used.Contains(kv.Key)).Select(kv => kv.Value.SourceKey)).ToList();
        if (missing.Count + misshaped.Count + unexpected.Count > 0)
            throw DataException.At(request.Source, $"does not fit {request.ConfigPath} ({source.Layout}): " + string.Join("; ", new[]
            {
                missing.Count > 0 ? $"missing {string.Join(", ", missing)}" : null,
                unexpected.Count > 0 ? $"unexpected {string.Join(", ", unexpected)}" : null,
                misshaped.Count > 0 ? $"mis-shaped {string.Join(", ", misshaped)}" : null,
            }.Where(s => s is not null)));

        // Fresh AdamW moments (step 0): fine-tuning from here is a new optimizer on imported weights. One zero buffer serves all.
        var zeros = new float[manifest.Parameters.Where(p => p.Trainable).Select(p => p.Count).DefaultIfEmpty(0).Max()];
        foreach (var p in manifest.Parameters.Where(p => p.Trainable))
        {
            tensors.Add(new NamedTensor(CheckpointKeys.AdamM(p.Name), p.Shape, zeros.AsMemory(0, (int)p.Count)));
            tensors.Add(new NamedTensor(CheckpointKeys.AdamV(p.Name), p.Shape, zeros.AsMemory(0, (int)p.Count)));
        }
        var extra = new Dictionary<string, string>(source.Extra, StringComparer.Ordinal)
        {
            ["preset"] = preset,
            ["imported_from"] = Path.GetFileName(Path.TrimEndingDirectorySeparator(request.Source)),
            ["imported_layout"] = source.Layout,
        };
        var configYaml = ConfigWriter.Write(config);
        File.WriteAllText(Path.Combine(request.RunDir, "config.yaml"), configYaml);
        var meta = new CheckpointMeta { Step = 0, Epoch = 0, Seed = (long)config.IJepaOrt.Seed, ConfigYaml = configYaml, PresetHash = manifest.PresetHash, Extra = extra };
        var path = CheckpointFolder.SaveLatest(request.RunDir, meta, tensors);
        return new ImportResult(path, source.Layout, tensors.Count - initialised.Count - copied.Count, copied, initialised, source.Notes);
    }

    /// <summary>The source tensor for <paramref name="p"/>: its own, or the other encoder section's when the source lacks this one.</summary>
    private static (string Name, SourceTensor Tensor)? Find(SourceTensors source, ManifestParameter p, out bool isCopy)
    {
        isCopy = false;
        if (source.ByName.TryGetValue(p.Name, out var own)) return (p.Name, own);
        if (source.Sections.Contains(p.Role)) return null;
        string? twin = p.Role switch
        {
            CheckpointKeys.TargetEncoder => CheckpointKeys.Encoder + p.Name[CheckpointKeys.TargetEncoder.Length..],
            CheckpointKeys.Encoder => CheckpointKeys.TargetEncoder + p.Name[CheckpointKeys.Encoder.Length..],
            _ => null,
        };
        if (twin is null || !source.ByName.TryGetValue(twin, out var other)) return null;
        isCopy = true;
        return (twin, other);
    }

    private static bool IsZip(string path)
    {
        if (!File.Exists(path)) return false;
        using var f = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[4];
        return f.Read(magic) == 4 && magic[0] == (byte)'P' && magic[1] == (byte)'K';
    }
}
