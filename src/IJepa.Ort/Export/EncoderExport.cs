// `ijepa-ort export`: a self-contained inference ONNX (weights as initializers, dynamic batch) from a checkpoint.
using System.Globalization;
using System.Runtime.InteropServices;
using IJepa.GraphBuilder.Core;
using IJepa.GraphBuilder.Onnx;
using IJepa.GraphBuilder.Recipes;
using IJepa.Ort.Checkpoints;
using IJepa.Ort.Config;
using IJepa.Ort.Errors;
using IJepa.Ort.Training;
using N = IJepa.GraphBuilder.Recipes.ArtifactNames;

namespace IJepa.Ort.Export;

public sealed record ExportResult(string Path, string Encoder, long Parameters, long Bytes);

public static class EncoderExport
{
    /// <summary>ONNX protobuf files cannot exceed 2 GiB; larger encoders would need external data.</summary>
    private const long MaxProtoBytes = int.MaxValue;

    /// <summary>Writes the <paramref name="encoder"/> ("target" or "context") encoder of a run's latest checkpoint (or a checkpoint file).</summary>
    public static ExportResult Export(string checkpoint, string encoder, string outFile)
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
        var spec = config.ToArtifactSpec(preset);
        var graph = EncoderRecipe.Build(spec);

        var initializers = new Dictionary<string, TensorData>();
        long count = 0;
        foreach (var param in graph.Parameters)
        {
            string key = scope + param.Name[N.EncoderScope.Length..];
            if (!reader.Contains(key)) throw DataException.At(reader.Path, $"checkpoint has no tensor {key}");
            var data = new float[param.Count];
            reader.ReadInto(key, param.Dims, data);
            initializers[param.Name] = new TensorData(DType.Float, param.Dims, MemoryMarshal.AsBytes(data.AsSpan()).ToArray());
            count += param.Count;
        }
        if (count * sizeof(float) >= MaxProtoBytes)
            throw new IJepaException($"{preset}: {count:N0} parameters exceed ONNX's 2 GiB single-file limit (external data is not supported yet)");

        var channels = spec.Encoder.InChans;
        var augment = Trainer.Augmentation(config, channels).NormalizationFor(channels);
        var metadata = new Dictionary<string, string>
        {
            ["ijepa.preset"] = preset,
            ["ijepa.encoder"] = encoder,
            ["ijepa.step"] = reader.Meta.Step.ToString(CultureInfo.InvariantCulture),
            ["ijepa.img_size"] = spec.Encoder.ImgSize.ToString(CultureInfo.InvariantCulture),
            ["ijepa.patch_size"] = spec.Encoder.PatchSize.ToString(CultureInfo.InvariantCulture),
            ["ijepa.in_chans"] = channels.ToString(CultureInfo.InvariantCulture),
            ["ijepa.embed_dim"] = spec.Encoder.EmbedDim.ToString(CultureInfo.InvariantCulture),
            ["ijepa.mean"] = string.Join(",", augment.Mean.Select(v => v.ToString("R", CultureInfo.InvariantCulture))),
            ["ijepa.std"] = string.Join(",", augment.Std.Select(v => v.ToString("R", CultureInfo.InvariantCulture))),
            ["ijepa.outputs"] = $"{N.Features} [B, N, D] (after the final LayerNorm); {N.Pooled} [B, D] (average over patches)",
        };
        var bytes = OnnxWriter.ToBytes(graph, metadata, initializers);
        var dir = Path.GetDirectoryName(Path.GetFullPath(outFile))!;
        Directory.CreateDirectory(dir);
        var tmp = outFile + ".tmp";
        File.WriteAllBytes(tmp, bytes);
        File.Move(tmp, outFile, overwrite: true);
        return new ExportResult(outFile, encoder, count, bytes.Length);
    }
}
