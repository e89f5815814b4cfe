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
using Onnx;
using N = IJepa.GraphBuilder.Recipes.ArtifactNames;

namespace IJepa.Ort.Export;

public sealed record ExportResult(string Path, string Encoder, ExportPrecision Precision, long Parameters, long Bytes, string? ExternalData, string Contract);

/// <summary>What `export` writes: which encoder, at which precision, and from what size the weights go to external data.</summary>
public sealed record ExportSettings
{
    public string Encoder { get; init; } = "target";
    public ExportPrecision Precision { get; init; } = ExportPrecision.Fp32;
    public Int8Scheme Int8 { get; init; } = Int8Scheme.Dynamic;
    public long ExternalDataThreshold { get; init; } = ModelFile.DefaultExternalDataThreshold;
}

/// <summary>Fills one parameter of the encoder graph (named <c>encoder.*</c>) with its weights.</summary>
public delegate void EncoderWeights(Parameter parameter, Span<float> into);

public static class EncoderExport
{
    /// <summary>Writes the <paramref name="encoder"/> ("target" or "context") encoder of a run's latest checkpoint (or a checkpoint file).</summary>
    public static ExportResult Export(string checkpoint, string encoder, string outFile) =>
        Export(checkpoint, outFile, new ExportSettings { Encoder = encoder });

    /// <summary>Writes the model (and its external data, if large), converted to the settings' precision, and its contract beside it.</summary>
    public static ExportResult Export(string checkpoint, string outFile, ExportSettings settings) =>
        Write(FromCheckpoint(checkpoint, settings.Encoder), outFile, settings);

    /// <summary>Writes an in-memory encoder as <see cref="Export"/> does (its proto is converted in place).</summary>
    public static ExportResult Write(EncoderModel model, string outFile, ExportSettings settings)
    {
        var proto = model.Proto;
        if (settings.Precision == ExportPrecision.Fp16) Fp16Weights.Apply(proto);
        if (settings.Precision == ExportPrecision.Int8) Int8Weights.Apply(proto, settings.Int8);
        proto.MetadataProps.First(e => e.Key == MetadataKeys.Precision).Value =
            settings.Precision == ExportPrecision.Int8 ? $"int8 ({settings.Int8.ToString().ToLowerInvariant()})" : settings.Precision.Name();
        var files = ModelFile.Write(proto, outFile, settings.ExternalDataThreshold);
        var contract = DeploymentContract.Write(proto, files);
        return new ExportResult(outFile, settings.Encoder, settings.Precision, model.Parameters, files.Bytes, files.ExternalData, contract);
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
        var channels = spec.Encoder.InChans;
        var augment = TrainingData.Augmentation(config, channels).NormalizationFor(channels);
        var metadata = new Dictionary<string, string>
        {
            [MetadataKeys.Preset] = preset,
            [MetadataKeys.Encoder] = encoder,
            [MetadataKeys.Step] = step.ToString(CultureInfo.InvariantCulture),
            [MetadataKeys.ImgSize] = spec.Encoder.ImgSize.ToString(CultureInfo.InvariantCulture),
            [MetadataKeys.PatchSize] = spec.Encoder.PatchSize.ToString(CultureInfo.InvariantCulture),
            [MetadataKeys.InChans] = channels.ToString(CultureInfo.InvariantCulture),
            [MetadataKeys.EmbedDim] = spec.Encoder.EmbedDim.ToString(CultureInfo.InvariantCulture),
            [MetadataKeys.Mean] = string.Join(",", augment.Mean.Select(v => v.ToString("R", CultureInfo.InvariantCulture))),
            [MetadataKeys.Std] = string.Join(",", augment.Std.Select(v => v.ToString("R", CultureInfo.InvariantCulture))),
            [MetadataKeys.ChannelOrder] = channels == 3 ? "RGB" : "L",
            [MetadataKeys.PixelScale] = "1/255",
            [MetadataKeys.Resize] = MetadataKeys.ResizeRule,
            [MetadataKeys.Layout] = "NCHW",
            [MetadataKeys.Precision] = ExportPrecision.Fp32.Name(),
            [MetadataKeys.Outputs] = lastBlocks > 0
                ? $"{N.Features} [B, N, D] (after the final LayerNorm); {N.Pooled} [B, {lastBlocks}·D] (the last {lastBlocks} blocks, each normed and averaged over patches); {PooledBlocksRecipe.BlockTokens} [B, N, {lastBlocks}·D] (those blocks normed, concatenated)"
                : $"{N.Features} [B, N, D] (after the final LayerNorm); {N.Pooled} [B, D] (average over patches)",
        };
        return new EncoderModel(OnnxWriter.ToModel(graph, metadata, initializers), source, count);
    }
}
