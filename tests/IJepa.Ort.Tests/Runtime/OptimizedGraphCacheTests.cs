// The cache of ORT's optimised graphs: a hit gives the step of a fresh optimisation bit for bit; a damaged entry is
// rebuilt with a warning; a changed graph or setting gets an entry of its own.
using IJepa.GraphBuilder.Models;
using IJepa.GraphBuilder.Recipes;
using IJepa.Ort.Runtime;
using Microsoft.ML.OnnxRuntime;

namespace IJepa.Ort.Tests.Runtime;

public sealed class OptimizedGraphCacheTests
{
    private string _dir = "";
    private Artifacts _artifacts = null!;
    private StringWriter _log = null!;

    private string Graph => Path.Combine(_dir, ArtifactNames.TrainStepFile);
    private SessionFactory Sessions(int threads = 1) => new(ExecutionDevice.Cpu, threads) { Log = _log };

    [SetUp]
    public void WriteToyGraphs()
    {
        _log = new StringWriter();
        _dir = Directory.CreateTempSubdirectory("ijepa-ortcache-").FullName;
        _artifacts = ArtifactWriter.Build(ToyRuntime.Spec);
        ArtifactWriter.Write(_artifacts, _dir);
    }

    [TearDown]
    public void Delete()
    {
        Directory.Delete(_dir, recursive: true);
        _log.Dispose();
    }

    [Test]
    public void Open_CacheMissThenHit_GiveTheStepOfAnUncachedSessionBitForBit()
    {
        var uncached = Step(Sessions() with { CacheOptimized = false });
        string entry = new OptimizedGraphCache(Sessions()).EntryPath(Graph);
        var miss = Step(Sessions());
        Assert.That(File.Exists(entry) && File.Exists(entry + ".sha256"), "the first session saves its optimised graph");
        var written = File.GetLastWriteTimeUtc(entry);
        var hit = Step(Sessions());

        Assert.That(File.GetLastWriteTimeUtc(entry), Is.EqualTo(written), "a hit does not write the entry again");
        Assert.That(_log.ToString(), Is.Empty);
        Assert.That(miss.Loss, Is.EqualTo(uncached.Loss));
        Assert.That(hit.Loss, Is.EqualTo(uncached.Loss));
        Assert.That(miss.Grads, Is.EqualTo(uncached.Grads));
        Assert.That(hit.Grads, Is.EqualTo(uncached.Grads));
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(entry)!, "*.tmp"), Is.Empty);
    }

    [Test]
    public void Open_TruncatedEntry_IsRebuiltWithAWarning()
    {
        var uncached = Step(Sessions() with { CacheOptimized = false });
        string entry = new OptimizedGraphCache(Sessions()).EntryPath(Graph);
        Step(Sessions());
        long length = new FileInfo(entry).Length;
        using (var f = File.OpenWrite(entry)) f.SetLength(length / 2);

        var rebuilt = Step(Sessions());

        Assert.That(_log.ToString(), Does.Contain("warning:").And.Contain("checksum"));
        Assert.That(rebuilt.Loss, Is.EqualTo(uncached.Loss));
        Assert.That(rebuilt.Grads, Is.EqualTo(uncached.Grads));
        Assert.That(new FileInfo(entry).Length, Is.EqualTo(length), "the entry is written whole again");
    }

    [Test]
    public void Open_EntryOrtCannotLoad_IsRebuiltWithAWarning()
    {
        var uncached = Step(Sessions() with { CacheOptimized = false });
        string entry = new OptimizedGraphCache(Sessions()).EntryPath(Graph);
        Step(Sessions());
        byte[] garbage = [.. Enumerable.Range(0, 1000).Select(i => (byte)(i * 7))];
        File.WriteAllBytes(entry, garbage);
        File.WriteAllText(entry + ".sha256", Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(garbage)));

        var rebuilt = Step(Sessions());

        Assert.That(_log.ToString(), Does.Contain("warning:").And.Contain("cannot be loaded"));
        Assert.That(rebuilt.Grads, Is.EqualTo(uncached.Grads));
        Assert.That(File.ReadAllBytes(entry), Is.Not.EqualTo(garbage));
    }

    [Test]
    public void EntryPath_ChangedGraphOrThreads_IsAnotherEntry()
    {
        string before = new OptimizedGraphCache(Sessions()).EntryPath(Graph);
        Step(Sessions());
        Assert.That(new OptimizedGraphCache(Sessions(threads: 2)).EntryPath(Graph), Is.Not.EqualTo(before));

        var deeper = ToyRuntime.Spec with { Encoder = ToyRuntime.Spec.Encoder with { Depth = 2 } };
        _artifacts = ArtifactWriter.Build(deeper);
        ArtifactWriter.Write(_artifacts, _dir);
        string after = new OptimizedGraphCache(Sessions()).EntryPath(Graph);
        var changed = Step(Sessions());
        var uncached = Step(Sessions() with { CacheOptimized = false });

        Assert.That(after, Is.Not.EqualTo(before));
        Assert.That(File.Exists(after));
        Assert.That(changed.Grads, Is.EqualTo(uncached.Grads), "the changed graph's step, not the old graph's");
    }

    [Test]
    public void Open_FolderThatCannotBeWritten_StillOpensWithAWarning()
    {
        File.WriteAllText(Path.Combine(_dir, OptimizedGraphCache.Folder), "a file where the cache folder would be");
        var uncached = Step(Sessions() with { CacheOptimized = false });

        var step = Step(Sessions());

        Assert.That(_log.ToString(), Does.Contain("warning:").And.Contain("not cached"));
        Assert.That(step.Grads, Is.EqualTo(uncached.Grads));
    }

    /// <summary>One forward + backward of the toy model through a session from <paramref name="sessions"/>: loss and gradients.</summary>
    private (float Loss, float[] Grads) Step(SessionFactory sessions)
    {
        using var store = new ParameterStore(_artifacts.Manifest);
        store.Initialize(7);
        using var step = new TrainStepSession(sessions.Open(Graph), store, ToyRuntime.Batch);
        var rng = new Random(1);
        var images = step.Images;
        for (int i = 0; i < images.Length; i++) images[i] = (float)(rng.NextDouble() * 2 - 1);
        long[] context = [0, 3, 1, 2], targets = [1, 0, 2, 3];
        context.CopyTo(step.ContextIndex);
        targets.CopyTo(step.TargetIndex);
        float loss = step.Run(store.Current, 2, 1);
        return (loss, store.Grads.Span.ToArray());
    }
}
