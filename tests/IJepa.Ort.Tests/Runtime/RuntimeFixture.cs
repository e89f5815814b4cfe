// Test support: a toy preset's artifacts written to a temporary folder, and a store + sessions over them.
using IJepa.GraphBuilder.Models;
using IJepa.GraphBuilder.Recipes;
using IJepa.Ort.Runtime;

namespace IJepa.Ort.Tests.Runtime;

public sealed class ToyRuntime : IDisposable
{
    public static readonly ArtifactSpec Spec = new("toy", new VitSpec(8, 4, 2, 8, 1, 2), new PredictorSpec(8, 1, 2), 2);
    public const int Batch = 2;

    public ToyRuntime(ulong seed = 7)
    {
        Dir = Directory.CreateTempSubdirectory("ijepa-toy-").FullName;
        var artifacts = ArtifactWriter.Build(Spec);
        ArtifactWriter.Write(artifacts, Dir);
        Store = new ParameterStore(artifacts.Manifest);
        Store.Initialize(seed);
        var sessions = new SessionFactory(ExecutionDevice.Cpu, 1);
        Step = new TrainStepSession(sessions.Open(Path.Combine(Dir, ArtifactNames.TrainStepFile)), Store, Batch);
        Optimizer = new OptimizerSession(sessions.Open(Path.Combine(Dir, ArtifactNames.OptimizerFile)), Store);
    }

    public string Dir { get; }
    public ParameterStore Store { get; }
    public TrainStepSession Step { get; }
    public OptimizerSession Optimizer { get; }

    /// <summary>Random images; contexts {0,3},{1,2}; targets m0: {1},{0}, m1: {2},{3}.</summary>
    public void FillBatch(int seed)
    {
        var rng = new Random(seed);
        var images = Step.Images;
        for (int i = 0; i < images.Length; i++) images[i] = (float)(rng.NextDouble() * 2 - 1);
        long[] context = [0, 3, 1, 2], targets = [1, 0, 2, 3];
        context.CopyTo(Step.ContextIndex);
        targets.CopyTo(Step.TargetIndex);
    }

    public void Dispose()
    {
        Optimizer.Dispose();
        Step.Dispose();
        Store.Dispose();
        Directory.Delete(Dir, recursive: true);
    }
}
