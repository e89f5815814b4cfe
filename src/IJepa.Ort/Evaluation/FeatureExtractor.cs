// Features of a data set for probing: an encoder's average-pooled output (the paper's protocol), or the raw pixels.
using IJepa.Ort.Data;
using IJepa.Ort.Export;
using IJepa.Ort.Runtime;
using Microsoft.ML.OnnxRuntime;
using N = IJepa.GraphBuilder.Recipes.ArtifactNames;

namespace IJepa.Ort.Evaluation;

public static class FeatureExtractor
{
    /// <summary>
    /// Runs <paramref name="model"/> over every image of <paramref name="dataset"/> (centre square resized to the model's size,
    /// normalised as it was trained) and returns its <c>pooled</c> output [Count, D] with the labels.
    /// </summary>
    public static FeatureSet Encode(EncoderModel model, IImageDataset dataset, int batchSize = 64, int threads = 0, ExecutionDevice? device = null)
    {
        using var options = (device ?? ExecutionDevice.Cpu).CreateOptions(threads);
        using var session = new InferenceSession(model.Bytes, options);
        int dim = checked((int)session.OutputMetadata[N.Pooled].Dimensions[^1]);
        int size = model.ImgSize, channels = model.InChans;
        var features = new float[(long)dataset.Count * dim];
        using var runOptions = new RunOptions();
        var outputNames = new[] { N.Pooled };
        var inputNames = new[] { N.Images };
        ForEachBatch(dataset, EvalTransform(model), batchSize, (batch, offset) =>
        {
            using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance,
                batch.Images.AsMemory(0, batch.Count * batch.ImageSize), [batch.Count, channels, size, size]);
            using var output = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance,
                features.AsMemory(offset * dim, batch.Count * dim), [batch.Count, dim]);
            session.Run(runOptions, inputNames, [input], outputNames, [output]);
        }, out var labels);
        return new FeatureSet(features, dataset.Count, dim, labels, dataset.NumClasses);
    }

    /// <summary>The raw-pixel baseline: the same transform as <see cref="Encode"/>, the normalised pixels flattened [Count, C·H·W].</summary>
    public static FeatureSet Pixels(IImageDataset dataset, int size, int channels, float[] mean, float[] std, int batchSize = 256)
    {
        int dim = channels * size * size;
        var features = new float[(long)dataset.Count * dim];
        var transform = AugmentOptions.Eval(size) with { OutChannels = channels, Mean = mean, Std = std };
        ForEachBatch(dataset, transform, batchSize, (batch, offset) => batch.Pixels.CopyTo(features.AsSpan(offset * dim)), out var labels);
        return new FeatureSet(features, dataset.Count, dim, labels, dataset.NumClasses);
    }

    /// <summary>The deterministic evaluation transform of a model: no crop randomness, its size, channels and normalisation.</summary>
    public static AugmentOptions EvalTransform(EncoderModel model) =>
        AugmentOptions.Eval(model.ImgSize) with { OutChannels = model.InChans, Mean = model.Mean, Std = model.Std };

    /// <summary>Visits the data set once, in order, in batches; <c>offset</c> is the first image's index.</summary>
    private static void ForEachBatch(IImageDataset dataset, AugmentOptions transform, int batchSize, Action<ImageBatch, int> visit, out int[] labels)
    {
        labels = new int[dataset.Count];
        using var loader = new BatchLoader(dataset, transform, new BatchLoaderOptions
        {
            BatchSize = batchSize, Shuffle = false, DropLast = false, Epochs = 1, NumWorkers = Math.Max(1, Environment.ProcessorCount - 1),
        });
        int done = 0;
        while (loader.TryNext(out var batch))
        {
            visit(batch, done);
            batch.Labels.AsSpan(0, batch.Count).CopyTo(labels.AsSpan(done));
            done += batch.Count;
        }
    }
}
