// The step object: the device-resident layout (a second store updated by graphs only, ema.onnx ping-pong) trains
// exactly as the host store; the global batch must split over the ranks; no OrtValue is made per step.
using IJepa.GraphBuilder.Recipes;
using IJepa.Ort.Distributed;
using IJepa.Ort.Errors;
using IJepa.Ort.Masks;
using IJepa.Ort.Runtime;
using IJepa.Ort.Tests.Runtime;
using IJepa.Ort.Tests.Support;
using IJepa.Ort.Training;
using Microsoft.ML.OnnxRuntime;

namespace IJepa.Ort.Tests.Training;

public class TrainingStepTests
{
    [Test]
    public void Trainer_ResidentCopy_MatchesTheHostStore()
    {
        using var run = new TinyRun();
        using var host = new Trainer(run.Options("host", maxSteps: 7), TextWriter.Null);
        using var resident = new Trainer(run.Options("resident", maxSteps: 7) with { ResidentCopy = true }, TextWriter.Null);
        host.Run();
        resident.Run();
        foreach (var p in host.Store.Manifest.Parameters)
        {
            var expected = host.Store.Tensor(p.Name).ToArray();
            Assert.That(resident.Store.Tensor(p.Name).ToArray(), Is.EqualTo(expected).Within(1e-6), p.Name);
        }
        Assert.That(TrainLog.ReadLosses(run.RunDir("resident"), 6), Is.EqualTo(TrainLog.ReadLosses(run.RunDir("host"), 6)));
    }

    [Test]
    public void Run_ResidentCopy_CreatesNoOrtValuesAfterTheFirstStep()
    {
        using var runtime = new ToyStep(residentCopy: true);
        runtime.Step.Run(0, new ScheduleValues(1e-3, 0.04, 0.99));
        long before = OrtValueCounter.Created;
        for (int k = 1; k <= 4; k++) runtime.Step.Run(k, new ScheduleValues(1e-3, 0.04, 0.99));
        Assert.That(OrtValueCounter.Created, Is.EqualTo(before));
    }

    [Test]
    public void Constructor_GlobalBatchNotDivisibleByRanks_NamesBatchSize()
    {
        var ex = Assert.Throws<ConfigException>(() => new ToyStep(world: new FakeWorld(Size: 3)));
        Assert.That(ex!.Message, Does.Contain("data.batch_size").And.Contain("3 ranks"));
    }

    [Test]
    public void Constructor_GraphFileMissing_ThrowsTheSessionsOwnError()
    {
        // The sessions open on worker threads beside the store allocation; a failure comes back as it was, not wrapped.
        var dir = Directory.CreateTempSubdirectory("ijepa-step-").FullName;
        try
        {
            var artifacts = ArtifactWriter.Build(ToyRuntime.Spec);
            ArtifactWriter.Write(artifacts, dir);
            File.Delete(Path.Combine(dir, ArtifactNames.OptimizerFile));
            var spec = ToyRuntime.Spec;
            var masks = new FixedShapeMasks(spec.NumPredMasks, spec.Encoder.NumPatches, contextLength: 2, targetLength: 1);
            var setup = new StepSetup(dir, artifacts.Manifest, ToyRuntime.Batch, ExecutionDevice.Cpu, new SingleProcess(), masks) { Threads = 1 };
            var ex = Assert.Throws<OnnxRuntimeException>(() => new TrainingStep(setup).Dispose());
            Assert.That(ex!.Message, Does.Contain(ArtifactNames.OptimizerFile));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
