// Inference latency of an exported encoder on the CPU: one session per (batch, threads), warm-up runs, then the median of
// timed runs — what bench/export.sh reports per precision (`embed --latency`).
using System.Diagnostics;
using IJepa.Ort.Runtime;
using Microsoft.ML.OnnxRuntime;
using N = IJepa.GraphBuilder.Recipes.ArtifactNames;

namespace IJepa.Ort.Export;

public sealed record LatencyResult(int Batch, int Threads, int Runs, double MsPerBatch)
{
    public double MsPerImage => MsPerBatch / Batch;
}

public static class LatencyBenchmark
{
    /// <summary>Runs <paramref name="modelPath"/> (from its file: external data works) on random images; at least 5 timed runs and <paramref name="minSeconds"/>.</summary>
    public static LatencyResult Measure(string modelPath, int batch, int threads, double minSeconds = 2, int warmup = 3)
    {
        var model = EncoderModel.Load(modelPath);
        int size = model.ImgSize, channels = model.InChans;
        var rng = new Random(0);
        var images = new float[batch * channels * size * size];
        for (int i = 0; i < images.Length; i++) images[i] = (float)(rng.NextDouble() * 2 - 1);

        using var options = ExecutionDevice.Cpu.CreateOptions(threads);
        options.InterOpNumThreads = 1;
        using var session = new InferenceSession(modelPath, options);
        using var input = OrtValue.CreateTensorValueFromMemory(images, [batch, channels, size, size]);
        using var runOptions = new RunOptions();
        string[] inputs = [N.Images], outputs = [N.Pooled];
        for (int i = 0; i < warmup; i++) session.Run(runOptions, inputs, [input], outputs).Dispose();

        var times = new List<double>();
        var total = Stopwatch.StartNew();
        while (times.Count < 5 || total.Elapsed.TotalSeconds < minSeconds)
        {
            var watch = Stopwatch.StartNew();
            session.Run(runOptions, inputs, [input], outputs).Dispose();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return new LatencyResult(batch, threads, times.Count, times[times.Count / 2]);
    }
}
