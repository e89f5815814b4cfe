// Builds every artifact of a preset and writes graphs/<preset>/ (manifest.json + *.onnx, weight-free).
using IJepa.GraphBuilder.Core;
using IJepa.GraphBuilder.Models;
using IJepa.GraphBuilder.Onnx;
using N = IJepa.GraphBuilder.Recipes.ArtifactNames;

namespace IJepa.GraphBuilder.Recipes;

public sealed record Artifacts(Manifest Manifest, IReadOnlyDictionary<string, byte[]> Files);

public static class ArtifactWriter
{
    /// <summary>Builds the train-step, optimizer, EMA and encoder graphs and the manifest, in memory.</summary>
    public static Artifacts Build(ArtifactSpec spec)
    {
        var type = spec.Precision == Precision.Float64 ? DType.Double : DType.Float;
        var graphs = new Dictionary<string, Graph>
        {
            [N.TrainStepFile] = TrainStepRecipe.Build(spec),
            [N.OptimizerFile] = OptimizerRecipe.Build(type),
            [N.EmaFile] = EmaRecipe.Build(type),
            [N.EncoderFile] = EncoderRecipe.Build(spec),
        };
        var manifest = Manifest.Create(spec, graphs[N.TrainStepFile], graphs);
        var metadata = new Dictionary<string, string> { ["ijepa.preset"] = spec.Preset, ["ijepa.preset_hash"] = manifest.PresetHash };
        var files = graphs.ToDictionary(kv => kv.Key, kv => OnnxWriter.ToBytes(kv.Value, metadata));
        files[N.Manifest] = System.Text.Encoding.UTF8.GetBytes(ManifestJson.Write(manifest));
        return new Artifacts(manifest, files);
    }

    /// <summary>Writes the artifacts into <paramref name="dir"/> (created if needed); returns the files written.</summary>
    public static IReadOnlyList<string> Write(Artifacts artifacts, string dir)
    {
        Directory.CreateDirectory(dir);
        var written = new List<string>();
        foreach (var (name, bytes) in artifacts.Files.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var path = Path.Combine(dir, name);
            File.WriteAllBytes(path, bytes);
            written.Add(path);
        }
        return written;
    }
}
