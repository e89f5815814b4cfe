// The trainer's online evaluation: kNN top-1 of the current target encoder on a fixed held-out subset (train-split bank,
// test-split queries), plus the collapse monitor on the query features. Cheap enough to run every few epochs.
using System.Diagnostics;
using IJepa.Ort.Config;
using IJepa.Ort.Data;
using IJepa.Ort.Errors;
using IJepa.Ort.Export;
using IJepa.Ort.Runtime;

namespace IJepa.Ort.Evaluation;

public sealed record OnlineEvalResult(double Top1, int K, int Bank, int Queries, CollapseStats Collapse, double Seconds)
{
    /// <summary>The metrics.jsonl record (snake_case keys; <c>knn_top1</c> is what the plot reads).</summary>
    public Dictionary<string, object?> ToMetric(int epoch, long step) => new()
    {
        ["epoch"] = epoch,
        ["step"] = step,
        [OnlineEvaluation.Top1Key] = Top1,
        ["knn_k"] = K,
        ["eval_bank"] = Bank,
        ["eval_queries"] = Queries,
        ["feature_std"] = Collapse.FeatureStd,
        ["feature_std_normalized"] = Collapse.NormalizedStd,
        ["effective_rank"] = Collapse.EffectiveRank,
        ["collapse_warning"] = Collapse.Warning,
        ["eval_seconds"] = Seconds,
    };
}

public sealed class OnlineEvaluation
{
    public const string Top1Key = "knn_top1";
    /// <summary>Train-split images in the kNN bank and test-split images queried (fixed per run: the same images every time).</summary>
    public const int BankSize = 5000, QuerySize = 2000;
    private const ulong HoldOutStream = 0x484F4C444F5554UL;

    private readonly IImageDataset _bank, _queries;
    private readonly int _k, _threads;
    private readonly ExecutionDevice _device;

    public OnlineEvaluation(IImageDataset bank, IImageDataset queries, int k, int threads = 0, ExecutionDevice? device = null)
    {
        _bank = bank;
        _queries = queries;
        _k = k;
        _threads = threads;
        _device = device ?? ExecutionDevice.Cpu;
    }

    /// <summary>
    /// The held-out images of a config's data set: a seeded subset of the train split as the bank, of the test split as
    /// queries; a data set without a test split gives its queries from the train split, disjoint from the bank.
    /// </summary>
    public static OnlineEvaluation For(IJepaConfig config, TextWriter log, ExecutionDevice? device = null)
    {
        ulong seed = config.IJepaOrt.Seed ^ HoldOutStream;
        var train = Open(config, log, DataSplit.Train);
        IImageDataset? test;
        try { test = Open(config, log, DataSplit.Test); }
        catch (DataException ex)
        {
            log.WriteLine($"online evaluation: no test split ({ex.Message}); holding out train images instead");
            test = null;
        }
        if (test is not null)
            return new OnlineEvaluation(DatasetSubset.Take(train, BankSize, seed), DatasetSubset.Take(test, QuerySize, seed),
                config.IJepaOrt.KnnK, config.IJepaOrt.Threads, device);
        var order = Enumerable.Range(0, train.Count).ToArray();
        var rng = DataRandom.For(seed, train.Count);
        rng.Shuffle(order.AsSpan());
        int queries = Math.Min(QuerySize, train.Count / 5), bank = Math.Min(BankSize, train.Count - queries);
        return new OnlineEvaluation(new DatasetSubset(train, Sorted(order[queries..(queries + bank)])), new DatasetSubset(train, Sorted(order[..queries])),
            config.IJepaOrt.KnnK, config.IJepaOrt.Threads, device);
    }

    public OnlineEvalResult Evaluate(EncoderModel model)
    {
        var clock = Stopwatch.StartNew();
        var bank = FeatureExtractor.Encode(model, _bank, threads: _threads, device: _device);
        var queries = FeatureExtractor.Encode(model, _queries, threads: _threads, device: _device);
        var knn = KnnClassifier.Evaluate(bank, queries, new KnnOptions { K = _k, Threads = _threads, Device = _device });
        var collapse = CollapseMonitor.Measure(queries);
        return new OnlineEvalResult(knn.Accuracy, knn.K, bank.Count, queries.Count, collapse, clock.Elapsed.TotalSeconds);
    }

    private static IImageDataset Open(IJepaConfig config, TextWriter log, DataSplit split) =>
        config.IJepaOrt.Dataset == DatasetKind.Scenes ? new ScenesDataset(new ScenesOptions(), split) : TrainingData.Open(config, log, split);

    private static int[] Sorted(int[] indices)
    {
        Array.Sort(indices);
        return indices;
    }
}
