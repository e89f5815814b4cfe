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

    /// <summary>An objective lever shapes the train graph: another hash, a fresh build, the objective kept in manifest.json.</summary>
    [Test]
    public void Resolve_ObjectiveLever_BuildsItsOwnGraphsOnce()
    {
        var path = Path.Combine(RepoPaths.Models, "fmnist-vit-micro.yaml");
        var upstream = ConfigLoader.Load(path);
        var lever = ConfigLoader.Load(path, [new("ijepa_ort.target_blocks", "2"), new("ijepa_ort.vc_loss.covariance", "0.04")]);
        var checkedIn = Path.Combine(RepoPaths.Graphs, "fmnist-vit-micro");
        var fallback = Path.Combine(Path.GetTempPath(), "ijepa-graphs-tests", Guid.NewGuid().ToString("N"));
        try
        {
            Assert.That(PresetGraphs.Resolve(upstream, "fmnist-vit-micro", checkedIn, fallback).Directory, Is.EqualTo(checkedIn));
            var (dir, manifest) = PresetGraphs.Resolve(lever, "fmnist-vit-micro", checkedIn, fallback);
            Assert.That(dir, Is.EqualTo(fallback));
            Assert.That(manifest.PresetHash, Is.Not.EqualTo(PresetGraphs.TryRead(checkedIn)!.PresetHash));
            Assert.That(PresetGraphs.TryRead(fallback)!.Spec, Is.EqualTo(lever.ToArtifactSpec("fmnist-vit-micro")));
            var stamp = File.GetLastWriteTimeUtc(Path.Combine(fallback, ArtifactNames.TrainStepFile));
            Assert.That(PresetGraphs.Resolve(lever, "fmnist-vit-micro", checkedIn, fallback).Directory, Is.EqualTo(fallback));
            Assert.That(File.GetLastWriteTimeUtc(Path.Combine(fallback, ArtifactNames.TrainStepFile)), Is.EqualTo(stamp), "rebuilt");
        }
        finally
        {
            if (Directory.Exists(fallback)) Directory.Delete(fallback, recursive: true);
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
