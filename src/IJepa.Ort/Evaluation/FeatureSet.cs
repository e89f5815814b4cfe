// A matrix of per-image features [Count, Dim] with the images' labels: what probes train and test on.
using System.Numerics.Tensors;

namespace IJepa.Ort.Evaluation;

/// <summary>Row-major features [Count, Dim] and a label per row in [0, NumClasses).</summary>
public sealed class FeatureSet
{
    public FeatureSet(float[] data, int count, int dim, int[] labels, int numClasses)
    {
        if ((long)count * dim > data.Length) throw new ArgumentException($"{count}×{dim} features need {(long)count * dim} values, got {data.Length}");
        if (labels.Length < count) throw new ArgumentException($"{count} rows need as many labels, got {labels.Length}");
        Data = data; Count = count; Dim = dim; Labels = labels; NumClasses = numClasses;
    }

    public float[] Data { get; }
    public int Count { get; }
    public int Dim { get; }
    public int[] Labels { get; }
    public int NumClasses { get; }

    public ReadOnlySpan<float> Row(int i) => Data.AsSpan(i * Dim, Dim);

    /// <summary>Classes a head over <paramref name="train"/> and <paramref name="test"/> needs: the declared count, or more if a label says so.</summary>
    public static int ClassCount(FeatureSet train, FeatureSet test) =>
        Math.Max(train.NumClasses, Math.Max(train.Labels.Take(train.Count).Max(), test.Labels.Take(test.Count).Max()) + 1);

    /// <summary>The same features with other labels (e.g. another task of the same images).</summary>
    public FeatureSet WithLabels(int[] labels, int numClasses) => new(Data, Count, Dim, labels, numClasses);

    /// <summary>The rows <paramref name="rows"/>, in that order.</summary>
    public FeatureSet Subset(IReadOnlyList<int> rows)
    {
        var data = new float[(long)rows.Count * Dim];
        var labels = new int[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            Row(rows[i]).CopyTo(data.AsSpan(i * Dim, Dim));
            labels[i] = Labels[rows[i]];
        }
        return new FeatureSet(data, rows.Count, Dim, labels, NumClasses);
    }

    /// <summary>The mean row [Dim].</summary>
    public float[] ColumnMean()
    {
        var sum = new double[Dim];
        for (int i = 0; i < Count; i++)
        {
            var row = Row(i);
            for (int j = 0; j < Dim; j++) sum[j] += row[j];
        }
        return sum.Select(v => (float)(v / Math.Max(1, Count))).ToArray();
    }

    /// <summary>Each row minus <paramref name="mean"/> [Dim].</summary>
    public FeatureSet Centered(ReadOnlySpan<float> mean)
    {
        var data = new float[(long)Count * Dim];
        for (int i = 0; i < Count; i++) TensorPrimitives.Subtract(Row(i), mean, data.AsSpan(i * Dim, Dim));
        return new FeatureSet(data, Count, Dim, Labels, NumClasses);
    }

    /// <summary>Each row divided by its Euclidean norm (a zero row stays zero).</summary>
    public FeatureSet L2Normalized()
    {
        var data = new float[(long)Count * Dim];
        for (int i = 0; i < Count; i++)
        {
            float norm = TensorPrimitives.Norm(Row(i));
            TensorPrimitives.Multiply(Row(i), norm > 0 ? 1f / norm : 0f, data.AsSpan(i * Dim, Dim));
        }
        return new FeatureSet(data, Count, Dim, Labels, NumClasses);
    }
}
