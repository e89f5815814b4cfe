// Weighted kNN classification (the DINO / I-JEPA-era protocol): cosine similarity, k = 20 neighbours, each voting for
// its class with weight exp(similarity / T), T = 0.07; the class with the largest total wins (the lowest index on ties).
// With Center, both sides are first centred by the bank's mean feature: cosine similarity then measures agreement in how
// features vary across images rather than their shared offset, which otherwise dominates an unwhitened encoder's vectors.
using System.Diagnostics;
using IJepa.GraphBuilder.Onnx;
using IJepa.Ort.Runtime;
using Microsoft.ML.OnnxRuntime;

namespace IJepa.Ort.Evaluation;

public sealed record KnnOptions
{
    public int K { get; init; } = 20;
    public double Temperature { get; init; } = 0.07;
    /// <summary>Queries per graph run (bounds the [Q, M] similarity block).</summary>
    public int QueryChunk { get; init; } = 256;
    /// <summary>Subtract the bank's mean feature from bank and queries before L2-normalising (the probe's default).</summary>
    public bool Center { get; init; }
    public int Threads { get; init; }
    public ExecutionDevice Device { get; init; } = ExecutionDevice.Cpu;
}

public sealed record KnnResult(double Accuracy, int K, double Temperature, double Seconds);

public static class KnnClassifier
{
    public static KnnResult Evaluate(FeatureSet bank, FeatureSet queries, KnnOptions? options = null)
    {
        var o = options ?? new KnnOptions();
        var clock = Stopwatch.StartNew();
        var predicted = Predict(bank, queries, o);
        int correct = 0;
        for (int i = 0; i < queries.Count; i++) if (predicted[i] == queries.Labels[i]) correct++;
        return new KnnResult((double)correct / queries.Count, Math.Min(o.K, bank.Count), o.Temperature, clock.Elapsed.TotalSeconds);
    }

    /// <summary>The voted class of every query (features need not be normalised: both sides are centred if asked, then L2-normalised here).</summary>
    public static int[] Predict(FeatureSet bank, FeatureSet queries, KnnOptions o)
    {
        if (bank.Dim != queries.Dim) throw new ArgumentException($"bank has {bank.Dim} dimensions, queries {queries.Dim}");
        int k = Math.Min(o.K, bank.Count), classes = Math.Max(bank.NumClasses, bank.Labels.Take(bank.Count).Max() + 1);
        if (o.Center)
        {
            var mean = bank.ColumnMean();
            (bank, queries) = (bank.Centered(mean), queries.Centered(mean));
        }
        var b = bank.L2Normalized();
        var q = queries.L2Normalized();
        using var sessionOptions = o.Device.CreateOptions(o.Threads);
        using var session = new InferenceSession(OnnxWriter.ToBytes(KnnRecipe.Build(bank.Dim, k)), sessionOptions);
        using var runOptions = new RunOptions();
        using var bankValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, b.Data.AsMemory(0, b.Count * b.Dim), [b.Count, b.Dim]);
        int chunk = Math.Max(1, o.QueryChunk);
        var similarity = new float[chunk * k];
        var neighbour = new long[chunk * k];
        var votes = new double[classes];
        var predicted = new int[q.Count];
        for (int start = 0; start < q.Count; start += chunk)
        {
            int n = Math.Min(chunk, q.Count - start);
            using var x = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, q.Data.AsMemory(start * q.Dim, n * q.Dim), [n, q.Dim]);
            using var s = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, similarity.AsMemory(0, n * k), [n, k]);
            using var idx = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, neighbour.AsMemory(0, n * k), [n, k]);
            session.Run(runOptions, [KnnRecipe.Queries, KnnRecipe.Bank], [x, bankValue], [KnnRecipe.Similarity, KnnRecipe.Neighbour], [s, idx]);
            for (int i = 0; i < n; i++)
            {
                Array.Clear(votes);
                for (int j = 0; j < k; j++)
                    votes[bank.Labels[neighbour[i * k + j]]] += Math.Exp(similarity[i * k + j] / o.Temperature);
                predicted[start + i] = ArgMax(votes);
            }
        }
        return predicted;
    }

    private static int ArgMax(double[] v)
    {
        int best = 0;
        for (int i = 1; i < v.Length; i++) if (v[i] > v[best]) best = i;
        return best;
    }
}
