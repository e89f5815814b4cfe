// `ijepa-ort embed`: runs an exported encoder over a data set and writes the pooled features (.npy or .safetensors).
using System.Globalization;
using System.Text;
using IJepa.Ort.Checkpoints;
using IJepa.Ort.Data;
using IJepa.Ort.Errors;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using N = IJepa.GraphBuilder.Recipes.ArtifactNames;

namespace IJepa.Ort.Export;

public sealed record EmbedResult(string Path, int Count, int Dim);

public static class Embedder
{
    /// <summary>Embeds every image of <paramref name="dataset"/> (resized to the model's size, normalised as it was trained).</summary>
    public static EmbedResult Run(string modelPath, IImageDataset dataset, string outFile, int batchSize = 64, int threads = 0)
    {
        if (!File.Exists(modelPath)) throw DataException.At(modelPath, "model file not found");
        using var options = new SessionOptions();
        if (threads > 0) options.IntraOpNumThreads = threads;
        using var session = new InferenceSession(modelPath, options);
        var meta = session.ModelMetadata.CustomMetadataMap;
        int Int(string key) => meta.TryGetValue(key, out var v) ? int.Parse(v, CultureInfo.InvariantCulture)
            : throw DataException.At(modelPath, $"not an ijepa-ort export (metadata {key} missing)");
        float[] Floats(string key) => meta[key].Split(',').Select(s => float.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        int size = Int("ijepa.img_size"), channels = Int("ijepa.in_chans"), dim = Int("ijepa.embed_dim");

        var augment = AugmentOptions.Eval(size) with { OutChannels = channels, Mean = Floats("ijepa.mean"), Std = Floats("ijepa.std") };
        using var loader = new BatchLoader(dataset, augment, new BatchLoaderOptions
        {
            BatchSize = batchSize, Shuffle = false, DropLast = false, Epochs = 1, NumWorkers = Math.Max(1, Environment.ProcessorCount - 1),
        });
        var features = new float[(long)dataset.Count * dim];
        var labels = new long[dataset.Count];
        int done = 0;
        while (loader.TryNext(out var batch))
        {
            var input = new DenseTensor<float>(batch.Images.AsMemory(0, batch.Count * batch.ImageSize), [batch.Count, channels, size, size]);
            using var results = session.Run([NamedOnnxValue.CreateFromTensor(N.Images, input)], [N.Pooled]);
            var pooled = results.First().AsTensor<float>();
            for (int i = 0; i < batch.Count; i++)
            {
                for (int j = 0; j < dim; j++) features[(long)(done + i) * dim + j] = pooled[i, j];
                labels[done + i] = batch.Labels[i];
            }
            done += batch.Count;
        }
        Write(outFile, features, labels, done, dim);
        return new EmbedResult(outFile, done, dim);
    }

    private static void Write(string outFile, float[] features, long[] labels, int count, int dim)
    {
        if (outFile.EndsWith(".npy", StringComparison.OrdinalIgnoreCase)) WriteNpy(outFile, features, count, dim);
        else if (outFile.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
            WriteSafeTensors(outFile, features.AsSpan(0, count * dim), labels.AsSpan(0, count), count, dim);
        else throw new ConfigException($"--out: '{outFile}' must end in .npy or .safetensors");
    }

    /// <summary>features F32 [count, dim] and labels I64 [count].</summary>
    private static void WriteSafeTensors(string path, ReadOnlySpan<float> features, ReadOnlySpan<long> labels, int count, int dim)
    {
        using var stream = File.Create(path);
        var writer = new SafeTensorsWriter(stream, [new("features", SafeTensorDType.F32, [count, dim]), new("labels", SafeTensorDType.I64, [count])]);
        writer.Write(features);
        writer.Write(labels);
        writer.Complete();
    }

    /// <summary>NumPy .npy v1.0: magic, header dict padded to 64 bytes, little-endian float32 C-order data.</summary>
    private static void WriteNpy(string path, float[] data, int rows, int cols)
    {
        string dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows}, {cols}), }}";
        int headerLength = 10 + dict.Length + 1;
        int padded = (headerLength + 63) / 64 * 64;
        using var stream = File.Create(path);
        using var w = new BinaryWriter(stream);
        w.Write(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 });
        w.Write((ushort)(padded - 10));
        w.Write(Encoding.ASCII.GetBytes(dict + new string(' ', padded - headerLength) + "\n"));
        foreach (var v in data.AsSpan(0, rows * cols)) w.Write(v);
    }
}
