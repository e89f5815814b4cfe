// The checked-in graphs: deterministic, up to date with models/, and loadable by ONNX Runtime for every preset.
using System.Diagnostics;
using IJepa.GraphBuilder.Recipes;
using IJepa.Ort.Config;
using IJepa.Ort.Graphs;
using IJepa.Ort.Tests.Support;
using Microsoft.ML.OnnxRuntime;

namespace IJepa.Ort.Tests.Graphs;

public class PresetGraphsTests
{
    private static IEnumerable<string> PresetFiles() => RepoPaths.Presets().Select(Path.GetFileName)!;

    /// <summary>One preset per distinct model (in1k_vith14_ep300 and in22k_vith14_ep66 build the same graphs).</summary>
    private static IEnumerable<string> DistinctModelFiles() => PresetFiles()
        .DistinctBy(f => Manifest.Hash(ConfigLoader.Load(Path.Combine(RepoPaths.Models, f)).ToArtifactSpec("x")));

    private static Artifacts Build(string file)
    {
        var path = Path.Combine(RepoPaths.Models, file);
        return ArtifactWriter.Build(ConfigLoader.Load(path).ToArtifactSpec(PresetGraphs.PresetName(path)));
    }

    [TestCaseSource(nameof(PresetFiles))]
    public void Build_Twice_GivesByteIdenticalFiles(string file)
    {
        var a = Build(file);
        var b = Build(file);
        Assert.That(a.Files.Keys, Is.EquivalentTo(b.Files.Keys));
        foreach (var (name, bytes) in a.Files) Assert.That(b.Files[name], Is.EqualTo(bytes), name);
    }

    [TestCaseSource(nameof(PresetFiles))]
    public void CheckedInGraphs_Preset_AreUpToDate(string file)
    {
        var dir = Path.Combine(RepoPaths.Graphs, Path.GetFileNameWithoutExtension(file));
        foreach (var (name, bytes) in Build(file).Files)
        {
            var path = Path.Combine(dir, name);
            Assert.That(File.Exists(path), $"{path} is missing: run ./ijepa-ort build --config models/{file}");
            Assert.That(File.ReadAllBytes(path).SequenceEqual(bytes), $"{path} is stale: run ./ijepa-ort build --config models/{file}");
        }
    }

    [TestCaseSource(nameof(DistinctModelFiles))]
    public void Build_Preset_TakesSecondsAndEveryGraphLoadsInOrt(string file)
    {
        var clock = Stopwatch.StartNew();
        var artifacts = Build(file);
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(30)), "build time");
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
        foreach (var (name, bytes) in artifacts.Files.Where(f => f.Key.EndsWith(".onnx")))
        {
            using var session = new InferenceSession(bytes, options);
            var declared = artifacts.Manifest.Graphs[name];
            Assert.That(session.InputMetadata.Keys, Is.EquivalentTo(declared.Inputs.Select(i => i.Name)), name);
            Assert.That(session.OutputMetadata.Keys, Is.EquivalentTo(declared.Outputs.Select(o => o.Name)), name);
        }
    }
}
