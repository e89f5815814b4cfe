// Features of a data set for probing: an encoder's average-pooled output (the paper's protocol) and optionally its patch
// tokens (for the grid and attentive readouts), or the raw pixels.
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
    public static FeatureSet Encode(EncoderModel model, IImageDataset dataset, int batchSize = 64, int threads = 0, ExecutionDevice? device = null) =>
        Encode(model, dataset, tokens: false, batchSize, threads, device).Pooled;

    /// <summary>
    /// As <see cref="Encode(EncoderModel, IImageDataset, int, int, ExecutionDevice?)"/>, and with <paramref name="tokens"/>
    /// also the patch tokens [Count, N·D'] from the same run: <c>block_tokens</c> when the model has it (the last blocks,
    /// see <see cref="PooledBlocksRecipe"/>), else <c>features</c>.
    /// </summary>
    public static EncodedFeatures Encode(EncoderModel model, IImageDataset dataset, bool tokens, int batchSize = 64, int threads = 0, ExecutionDevice? device = null)
    {
        using var options = (device ?? ExecutionDevice.Cpu).CreateOptions(threads);
        using var session = new InferenceSession(model.Bytes, options);
        int dim = checked((int)session.OutputMetadata[N.Pooled].Dimensions[^1]);
        string tokenOutput = session.OutputMetadata.ContainsKey(PooledBlocksRecipe.BlockTokens) ? PooledBlocksRecipe.BlockTokens : N.Features;
        var tokenShape = session.OutputMetadata[tokenOutput].Dimensions;
        var (tokenCount, tokenDim) = (checked((int)tokenShape[1]), checked((int)tokenShape[2]));
        int width = tokenCount * tokenDim;
        int size = model.ImgSize, channels = model.InChans;
        var features = new float[(long)dataset.Count * dim];
        var tokenData = tokens ? new float[(long)dataset.Count * width] : null;
        using var runOptions = new RunOptions();
        var outputNames = tokens ? new[] { N.Pooled, tokenOutput } : [N.Pooled];
        var inputNames = new[] { N.Images };
        ForEachBatch(dataset, EvalTransform(model), batchSize, (batch, offset) =>
        {
            using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance,
                batch.Images.AsMemory(0, batch.Count * batch.ImageSize), [batch.Count, channels, size, size]);
            using var output = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance,
                features.AsMemory(offset * dim, batch.Count * dim), [batch.Count, dim]);
            if (tokenData is null)
            {
                session.Run(runOptions, inputNames, [input], outputNames, [output]);
                return;
            }
            using var tokenValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance,
                tokenData.AsMemory(offset * width, batch.Count * width), [batch.Count, tokenCount, tokenDim]);
            session.Run(runOptions, inputNames, [input], outputNames, [output, tokenValue]);
        }, out var labels);
        return new EncodedFeatures(new FeatureSet(features, dataset.Count, dim, labels, dataset.NumClasses),
            tokenData is null ? null : new FeatureSet(tokenData, dataset.Count, width, labels, dataset.NumClasses), tokenCount);
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

    /// <summary>
    /// The raw-pixel baseline with tokens: the flattened pixels (its <c>mean</c> readout, named "flat") and the same pixels
    /// cut into the model's patches [Count, N, C·p·p] for the grid and attentive readouts.
    /// </summary>
    public static EncodedFeatures PixelsWithPatches(EncoderModel model, IImageDataset dataset, bool tokens)
    {
        var flat = Pixels(dataset, model.ImgSize, model.InChans, model.Mean, model.Std);
        int grid = model.ImgSize / model.PatchSize;
        return new EncodedFeatures(flat, tokens ? TokenPooling.Patches(flat, model.InChans, model.ImgSize, model.PatchSize) : null, grid * grid);
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

/// <summary>An encoder's pooled features [Count, D] and, when asked for, its patch tokens [Count, TokenCount·D'] (row-major [N, D']).</summary>
public sealed record EncodedFeatures(FeatureSet Pooled, FeatureSet? Tokens, int TokenCount);
