// Graph artifacts for a config: build them (`ijepa-ort build`), or find up-to-date ones for training.
using System.Diagnostics;
using IJepa.GraphBuilder.Recipes;
using IJepa.Ort.Config;
using IJepa.Ort.Errors;

namespace IJepa.Ort.Graphs;

public sealed record BuildResult(string Directory, Artifacts Artifacts, TimeSpan Elapsed);

public static class PresetGraphs
{
    /// <summary>The preset name of a config file: its file name without extension.</summary>
    public static string PresetName(string configPath) => Path.GetFileNameWithoutExtension(configPath);

    /// <summary>Builds every artifact of <paramref name="config"/> and writes them to <paramref name="outDir"/>.</summary>
    public static BuildResult Build(IJepaConfig config, string preset, string outDir)
    {
        var clock = Stopwatch.StartNew();
        var artifacts = ArtifactWriter.Build(config.ToArtifactSpec(preset));
        ArtifactWriter.Write(artifacts, outDir);
        return new BuildResult(outDir, artifacts, clock.Elapsed);
    }

    /// <summary>
    /// The graph folder to train with: <paramref name="checkedIn"/> when its manifest matches the config's model, else a
    /// fresh build in <paramref name="fallback"/> (e.g. the run folder) — a config may change sizes freely.
    /// </summary>
    public static (string Directory, Manifest Manifest) Resolve(IJepaConfig config, string preset, string checkedIn, string fallback)
    {
        var spec = config.ToArtifactSpec(preset);
        string hash = Manifest.Hash(spec);
        foreach (var dir in new[] { checkedIn, fallback })
        {
            var manifest = TryRead(dir);
            if (manifest is not null && manifest.PresetHash == hash) return (dir, manifest);
        }
        var built = Build(config, preset, fallback);
        return (fallback, built.Artifacts.Manifest);
    }

    /// <summary>Reads a folder's manifest, or null when there is none.</summary>
    public static Manifest? TryRead(string dir)
    {
        var path = Path.Combine(dir, ArtifactNames.Manifest);
        return File.Exists(path) ? Read(path) : null;
    }

    public static Manifest Read(string manifestPath)
    {
        try { return ManifestJson.Read(File.ReadAllText(manifestPath), manifestPath); }
        catch (FormatException ex) { throw new IJepaException(ex.Message, 2, ex); }
    }
}
