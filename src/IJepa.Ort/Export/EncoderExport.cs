// `ijepa-ort export`: a self-contained inference ONNX (weights as initializers, dynamic batch) from a checkpoint.
// The same in-memory model also serves `probe` (a checkpoint, a random init of the preset) and the trainer's online evaluation.
using System.Globalization;
using System.Runtime.InteropServices;
using IJepa.GraphBuilder.Core;
using IJepa.GraphBuilder.Onnx;
using IJepa.GraphBuilder.Recipes;
using IJepa.Ort.Checkpoints;
using IJepa.Ort.Config;
using IJepa.Ort.Data;
using IJepa.Ort.Errors;
using IJepa.Ort.Runtime;
using N = IJepa.GraphBuilder.Recipes.ArtifactNames;

namespace IJepa.Ort.Export;

public sealed record ExportResult(string Path, string Encoder, long Parameters, long Bytes);

/// <summary>Fills one parameter of the encoder graph (named <c>encoder.*</c>) with its weights.</summary>
public delegate void EncoderWeights(Parameter parameter, Span<float> into);

public static class EncoderExport
{
    /// <summary>ONNX protobuf files cannot exceed 2 GiB; larger encoders would need external data.</summary>
    private const long MaxProtoBytes = int.MaxValue;

    /// <summary>Writes the <paramref name="encoder"/> ("target" or "context") encoder of a run's latest checkpoint (or a checkpoint file).</summary>
    public static ExportResult Export(string checkpoint, string encoder, string outFile)
    {
        var model = FromCheckpoint(checkpoint, encoder);
        var dir = Path.GetDirectoryName(Path.GetFullPath(outFile))!;
        Directory.CreateDirectory(dir);
        var tmp = outFile + ".tmp";
        File.WriteAllBytes(tmp, model.Bytes);
        File.Move(tmp, outFile, overwrite: true);
        return new ExportResult(outFile, encoder, model.Parameters, model.Bytes.Length);
    }

    /// <summary>
    /// The <paramref name="encoder"/> encoder of a checkpoint as an in-memory model. <paramref name="lastBlocks"/> &gt; 0
    /// makes <c>pooled</c> the concatenation of the average-pooled last blocks (see <see cref="PooledBlocksRecipe"/>).
    /// </summary>
    public static EncoderModel FromCheckpoint(string checkpoint, string encoder = "target", int lastBlocks = 0)
    {
        string scope = encoder switch
        {
            "target" => N.TargetScope,
            "context" => N.EncoderScope,
            _ => throw new ConfigException($"--encoder: '{encoder}' is not target or context"),
        };
        using var reader = Checkpoint.Open(CheckpointFolder.Resolve(checkpoint));
        var config = ConfigLoader.Parse(reader.Meta.ConfigYaml, reader.Path + " (config)");
        string preset = reader.Meta.Extra.TryGetValue("preset", out var p) ? p : "ijepa";
        return Build(config, preset, encoder, reader.Meta.Step, lastBlocks, reader.Path, (param, into) =>
        {
            string key = scope + param.Name[N.EncoderScope.Length..];
            if (!reader.Contains(key)) throw DataException.At(reader.Path, $"checkpoint has no tensor {key}");
            reader.ReadInto(key, param.Dims, into);
        });
    }

    /// <summary>
    /// A freshly initialised encoder of the config's model: exactly the target encoder a run with <paramref name="seed"/>
    /// starts from (same init rules, same per-parameter streams) — the "no pretraining" baseline.
    /// </summary>
    public static EncoderModel RandomInit(IJepaConfig config, string preset, ulong seed, int lastBlocks = 0)
    {
        int grid = config.Encoder().GridSize;
        return Build(config, preset, "random", 0, lastBlocks, $"{preset} (random init, seed {seed})", (param, into) =>
            ParameterInit.Fill(new ManifestParameter(param.Name, param.Dims, param.Value.Type, N.EncoderScope, param.Trainable,
                param.WeightDecay, param.Init, ParamBuffer.Trainable, 0), into, seed, grid));
    }

    /// <summary>The target encoder held by a trainer's parameter store (copied: training goes on while this model is used).</summary>
    public static EncoderModel FromStore(ParameterStore store, IJepaConfig config, string preset, long step, int lastBlocks = 0) =>
        Build(config, preset, "target", step, lastBlocks, $"{preset} (step {step})", (param, into) =>
            store.Tensor(N.TargetScope + param.Name[N.EncoderScope.Length..]).CopyTo(into));

    /// <summary>The encoder graph of <paramref name="config"/> with every parameter baked in from <paramref name="weights"/>.</summary>
    public static EncoderModel Build(IJepaConfig config, string preset, string encoder, long step, int lastBlocks, string source, EncoderWeights weights)
    {
        var spec = config.ToArtifactSpec(preset);
        var graph = lastBlocks > 0 ? PooledBlocksRecipe.Build(spec, lastBlocks) : EncoderRecipe.Build(spec);
        var initializers = new Dictionary<string, TensorData>();
        long count = 0;
        foreach (var param in graph.Parameters)
        {
            var data = new float[param.Count];
            weights(param, data);
            initializers[param.Name] = new TensorData(DType.Float, param.Dims, MemoryMarshal.AsBytes(data.AsSpan()).ToArray());
            count += param.Count;
        }
        if (count * sizeof(float) >= MaxProtoBytes)
            throw new IJepaException($"{preset}: {count:N0} parameters exceed ONNX's 2 GiB single-file limit (external data is not supported yet)");

        var channels = spec.Encoder.InChans;
        var augment = TrainingData.Augmentation(config, channels).NormalizationFor(channels);
        var metadata = new Dictionary<string, string>
        {
            ["ijepa.preset"] = preset,
            ["ijepa.encoder"] = encoder,
            ["ijepa.step"] = step.ToString(CultureInfo.InvariantCulture),
            ["ijepa.img_size"] = spec.Encoder.ImgSize.ToString(CultureInfo.InvariantCulture),
            ["ijepa.patch_size"] = spec.Encoder.PatchSize.ToString(CultureInfo.InvariantCulture),
            ["ijepa.in_chans"] = channels.ToString(CultureInfo.InvariantCulture),
            ["ijepa.embed_dim"] = spec.Encoder.EmbedDim.ToString(CultureInfo.InvariantCulture),
            ["ijepa.mean"] = string.Join(",", augment.Mean.Select(v => v.ToString("R", CultureInfo.InvariantCulture))),
            ["ijepa.std"] = string.Join(",", augment.Std.Select(v => v.ToString("R", CultureInfo.InvariantCulture))),
            ["ijepa.outputs"] = lastBlocks > 0
                ? $"{N.Features} [B, N, D] (after the final LayerNorm); {N.Pooled} [B, {lastBlocks}·D] (the last {lastBlocks} blocks, each normed and averaged over patches)"
                : $"{N.Features} [B, N, D] (after the final LayerNorm); {N.Pooled} [B, D] (average over patches)",
        };
        return new EncoderModel(OnnxWriter.ToBytes(graph, metadata, initializers), metadata, source, count);
    }
}
