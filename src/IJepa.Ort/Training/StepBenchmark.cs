// Times the I-JEPA step alone (masks, forward + backward, AdamW, EMA) on random images: the figure the peer reports.
using System.Diagnostics;
using IJepa.Ort.Config;
using IJepa.Ort.Graphs;
using IJepa.Ort.Masks;
using IJepa.Ort.Runtime;

namespace IJepa.Ort.Training;

public sealed record StepTiming(string Preset, int Batch, int Steps, double MedianMs, double MinMs, double ImagesPerSecond, double PeakRssMiB, int ContextLength, int TargetLength);

public static class StepBenchmark
{
    /// <summary>Runs <paramref name="warmup"/> + <paramref name="steps"/> steps of the config's model at <paramref name="batch"/> and returns the median.</summary>
    public static StepTiming Run(string configPath, int batch, int warmup, int steps, int threads, ExecutionDevice device, string workDir, (int Nc, int Nt)? fixedMasks = null, string? profilePrefix = null)
    {
        var config = ConfigLoader.Load(configPath, [new("data.batch_size", batch.ToString())]);
        string preset = PresetGraphs.PresetName(configPath);
        var (graphDir, manifest) = PresetGraphs.Resolve(config, preset, Path.Combine("graphs", preset), Path.Combine(workDir, "graphs"));
        using var store = new ParameterStore(manifest);
        store.Initialize(config.IJepaOrt.Seed);
        using var options = device.CreateOptions(threads);
        if (profilePrefix is not null) { options.ProfileOutputPathPrefix = profilePrefix; options.EnableProfiling = true; }
        using var session = new TrainStepSession(graphDir, store, batch, options);
        using var optimizer = new OptimizerSession(graphDir, store, options);
        var collator = new MultiBlockMaskCollator(MaskSettings.From(config), config.IJepaOrt.Seed);
        var masks = collator.NewBatch(batch);
        var rng = new SplitMix(1);
        var images = session.Images;
        for (int i = 0; i < images.Length; i++) images[i] = (float)rng.NextGaussian();

        var times = new List<double>();
        for (int s = 0; s < warmup + steps; s++)
        {
            var clock = Stopwatch.StartNew();
            collator.Sample(s, masks);
            var (nc, nt) = fixedMasks ?? (masks.ContextLength, masks.TargetLength);
            if (fixedMasks is null) session.LoadMasks(masks);
            else
            {
                // The peer's shapes: any nc context and nt target patches per row (what is timed is the shape, not the choice).
                for (int i = 0; i < batch * nc; i++) session.ContextIndex[i] = i % nc;
                for (int i = 0; i < masks.NumTargets * batch * nt; i++) session.TargetIndex[i] = manifest.Spec.Encoder.NumPatches - 1 - i % nt;
            }
            session.Run(store.Current, nc, nt);
            optimizer.Run(1e-4, 0.04, s + 1);
            store.UpdateTarget(0.996);
            if (s >= warmup) times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        double median = times[times.Count / 2];
        double rss = Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0;
        var (ncUsed, ntUsed) = fixedMasks ?? (masks.ContextLength, masks.TargetLength);
        return new StepTiming(preset, batch, steps, median, times[0], batch * 1000 / median, rss, ncUsed, ntUsed);
    }
}
