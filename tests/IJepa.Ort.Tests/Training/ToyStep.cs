// Test support: a TrainingStep over the toy preset's artifacts (global batch 2, one thread), initialised and published.
using IJepa.GraphBuilder.Recipes;
using IJepa.Ort.Distributed;
using IJepa.Ort.Masks;
using IJepa.Ort.Runtime;
using IJepa.Ort.Tests.Runtime;
using IJepa.Ort.Training;

namespace IJepa.Ort.Tests.Training;

public sealed class ToyStep : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ijepa-step-").FullName;

    public ToyStep(bool residentCopy = false, ICommunicator? world = null)
    {
        var artifacts = ArtifactWriter.Build(ToyRuntime.Spec);
        ArtifactWriter.Write(artifacts, _dir);
        var spec = ToyRuntime.Spec;
        var masks = new FixedShapeMasks(spec.NumPredMasks, spec.Encoder.NumPatches, contextLength: 2, targetLength: 1);
        Step = new TrainingStep(new StepSetup(_dir, artifacts.Manifest, ToyRuntime.Batch, ExecutionDevice.Cpu, world ?? new SingleProcess(), masks)
        {
            Threads = 1, ResidentCopy = residentCopy,
        });
        Step.Store.Initialize(7);
        Step.Publish();
        var rng = new Random(1);
        for (int i = 0; i < Step.Images.Length; i++) Step.Images[i] = (float)(rng.NextDouble() * 2 - 1);
    }

    public TrainingStep Step { get; }

    public void Dispose()
    {
        Step.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}

/// <summary>A communicator that only claims a rank and a size (collectives are the identity): for checks made before any collective.</summary>
public sealed record FakeWorld(int Rank = 0, int Size = 1) : ICommunicator
{
    public int LocalRank => Rank;
    public string Kind => "fake";
    public void AverageInPlace(NativeBuffer<float> buffer) { }
    public void SumInPlace(Span<double> values) { }
    public void Broadcast(Span<byte> data) { }
    public void Barrier() { }
    public void Abort(int exitCode) => throw new InvalidOperationException($"abort {exitCode}");
    public void Dispose() { }
}
