// Times the I-JEPA step alone (masks, forward + backward, allreduce, AdamW, EMA) on random images: the figure the
// peer reports, with where the time goes. Runs the same TrainingStep as the trainer, on every rank of a job.
using System.Diagnostics;
using IJepa.Ort.Config;
using IJepa.Ort.Distributed;
using IJepa.Ort.Graphs;
using IJepa.Ort.Masks;
using IJepa.Ort.Runtime;

namespace IJepa.Ort.Training;

public sealed record StepTiming(
    string Preset, int Batch, int Steps, double MedianMs, double MinMs, double MaxMs, double ImagesPerSecond, double PeakRssMiB,
    int ContextLength, int TargetLength, double FirstStepSeconds, IReadOnlyDictionary<string, double> PhaseMs, int Ranks, double? AllreduceMs,
    long GradientElements, double HostDeviceBytesPerStep, double FirstLoss);

public sealed record BenchRequest(string ConfigPath, int Batch, int Warmup, int Steps, int Threads, ExecutionDevice Device, string WorkDir)
{
    /// <summary>Fixed context and target lengths (the peer's shapes) instead of sampled masks.</summary>
    public (int Nc, int Nt)? FixedMasks { get; init; }
    public string? ProfilePrefix { get; init; }
    /// <summary>Config overrides by key path (the global batch is always <see cref="Batch"/>).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Overrides { get; init; } = [];
    public ICommunicator Communicator { get; init; } = new SingleProcess();
    /// <summary>Allreduces of the gradient buffer to time on their own (ranks &gt; 1); 0: none.</summary>
    public int AllreduceRounds { get; init; } = 20;
    /// <summary>Write the first step's loss and gradients here (rank 0; see <see cref="StepDump"/>).</summary>
    public string? DumpFirstStep { get; init; }
}

public static class StepBenchmark
{
    /// <summary>Runs warmup + steps steps of the config's model at the request's global batch; medians over the timed steps.</summary>
    public static StepTiming Run(BenchRequest r)
    {
        var clock = Stopwatch.StartNew();
        var comm = r.Communicator;
        var config = ConfigLoader.Load(r.ConfigPath, [.. r.Overrides, new("data.batch_size", r.Batch.ToString())]);
        string preset = PresetGraphs.PresetName(r.ConfigPath);
        var (graphDir, manifest) = comm.RootFirst(() =>
            PresetGraphs.Resolve(config, preset, Path.Combine("graphs", preset), Path.Combine(r.WorkDir, "graphs")));
        IMaskSource masks = r.FixedMasks is var (nc, nt)
            ? new FixedShapeMasks(manifest.Spec.NumPredMasks, manifest.Spec.Encoder.NumPatches, nc, nt)
            : new MultiBlockMaskCollator(config.Masking(), config.IJepaOrt.Seed);
        using var step = new TrainingStep(new StepSetup(graphDir, manifest, r.Batch, r.Device.ForLocalRank(comm.LocalRank), comm, masks)
        {
            Threads = r.Threads, ProfilePrefix = r.ProfilePrefix,
        });
        step.Store.Initialize(config.IJepaOrt.Seed);
        step.Publish();
        var rng = new SplitMix(1 + (ulong)comm.Rank);
        var images = step.Images;
        for (int i = 0; i < images.Length; i++) images[i] = (float)rng.NextGaussian();

        var schedule = new ScheduleValues(1e-4, 0.04, 0.996);
        var times = new List<double>();
        double firstStep = 0, firstLoss = 0;
        long crossed = 0;
        for (int s = 0; s < r.Warmup + r.Steps; s++)
        {
            if (s == r.Warmup) step.Phases.Reset();
            long crossedBefore = DeviceMemory.BytesCrossed;
            var stepClock = Stopwatch.StartNew();
            double loss = step.Run(s, schedule).Loss;
            if (s >= r.Warmup)
            {
                times.Add(stepClock.Elapsed.TotalMilliseconds);
                crossed += DeviceMemory.BytesCrossed - crossedBefore;
            }
            if (s > 0) continue;
            (firstStep, firstLoss) = (clock.Elapsed.TotalSeconds, loss);
            if (r.DumpFirstStep is not null && comm.IsRoot()) DumpGradients(step, manifest, loss, r.DumpFirstStep);
        }
        double bytesPerStep = (double)crossed / Math.Max(1, r.Steps);
        times.Sort();
        double median = times[times.Count / 2];
        double? allreduce = comm.Size > 1 && r.AllreduceRounds > 0 ? TimeAllreduce(comm, step.Store.Grads.Length, r.AllreduceRounds) : null;
        double rss = Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0;
        return new StepTiming(preset, r.Batch, r.Steps, median, times[0], times[^1], r.Batch * 1000 / median, rss,
            step.Masks.ContextLength, step.Masks.TargetLength, firstStep, step.Phases.MillisecondsPerStep(), comm.Size, allreduce, step.Store.Grads.Length,
            bytesPerStep, firstLoss);
    }

    private static void DumpGradients(TrainingStep step, IJepa.GraphBuilder.Recipes.Manifest manifest, double loss, string path)
    {
        using var grads = new NativeBuffer<float>(step.Store.Grads.Length);
        step.CopyGradients(grads);
        StepDump.Write(path, loss, manifest, grads);
    }

    /// <summary>Median milliseconds of one in-place average of a host buffer of <paramref name="length"/> floats, after a barrier each.</summary>
    public static double TimeAllreduce(ICommunicator comm, long length, int rounds)
    {
        using var buffer = new NativeBuffer<float>(length);
        buffer.Span.Fill(comm.Rank + 1);
        var times = new List<double>();
        for (int i = 0; i < rounds + 2; i++)
        {
            comm.Barrier();
            var clock = Stopwatch.StartNew();
            comm.AverageInPlace(buffer);
            if (i >= 2) times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return times[times.Count / 2];
    }
}
