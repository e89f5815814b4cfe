// A verified, open checkpoint: its metadata, and its tensors read on demand into the caller's memory.
using IJepa.Ort.Errors;

namespace IJepa.Ort.Checkpoints;

/// <summary>Returned by <see cref="Checkpoint.Open"/> once the file has been verified. Owns the file handle.</summary>
public sealed class CheckpointReader : IDisposable
{
    readonly SafeTensorsReader file;

    internal CheckpointReader(SafeTensorsReader file, CheckpointMeta meta, int formatVersion)
    {
        this.file = file;
        Meta = meta;
        FormatVersion = formatVersion;
    }

    public string Path => file.Path;
    public int FormatVersion { get; }
    public CheckpointMeta Meta { get; }
    /// <summary>All tensors (float32), in file order.</summary>
    public IReadOnlyList<SafeTensorInfo> Tensors => file.Tensors;

    public bool Contains(string name) => file.Contains(name);

    /// <summary>The header entry of <paramref name="name"/>; a missing tensor is a <see cref="DataException"/>.</summary>
    public SafeTensorInfo Info(string name) => file.Info(name);

    /// <summary>Reads a tensor whose element count equals <paramref name="destination"/>'s length.</summary>
    public void ReadInto(string name, Span<float> destination) => file.ReadInto(name, destination);

    /// <summary>Reads a tensor that must have exactly <paramref name="expectedShape"/>, e.g. from the graph
    /// manifest: a checkpoint from another config is refused with both shapes named.</summary>
    public void ReadInto(string name, ReadOnlySpan<long> expectedShape, Span<float> destination)
    {
        var info = file.Info(name);
        if (!info.Shape.AsSpan().SequenceEqual(expectedShape))
            throw DataException.At(Path, $"tensor {ShapeText.Quote(name)} has shape {ShapeText.Format(info.Shape)}, " +
                                         $"the model expects {ShapeText.Format(expectedShape)} (a checkpoint from another config?)");
        file.ReadInto(name, destination);
    }

    public float[] Read(string name) => file.ReadF32(name);

    public void Dispose() => file.Dispose();
}
