// `ijepa-ort embed`: runs an exported encoder over a data set and writes the pooled features (.npy or .safetensors).
using System.Text;
using IJepa.Ort.Checkpoints;
using IJepa.Ort.Data;
using IJepa.Ort.Errors;
using IJepa.Ort.Export;

namespace IJepa.Ort.Evaluation;

public sealed record EmbedResult(string Path, int Count, int Dim);

public static class Embedder
{
    /// <summary>Embeds every image of <paramref name="dataset"/> (resized to the model's size, normalised as it was trained).</summary>
    public static EmbedResult Run(string modelPath, IImageDataset dataset, string outFile, int batchSize = 64, int threads = 0)
    {
        if (!outFile.EndsWith(".npy", StringComparison.OrdinalIgnoreCase) && !outFile.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
            throw new ConfigException($"--out: '{outFile}' must end in .npy or .safetensors");
        var features = FeatureExtractor.Encode(EncoderModel.Load(modelPath), dataset, batchSize, threads);
        Write(outFile, features.Data, features.Labels.Select(l => (long)l).ToArray(), features.Count, features.Dim);
        return new EmbedResult(outFile, features.Count, features.Dim);
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
