// What a foreign checkpoint offers once its layout is mapped: tensors under our names (official ijepa keys), the
// source keys that mapped onto nothing, and notes on what was left out on purpose.
namespace IJepa.Ort.Import;

/// <summary>One tensor of the source under our name; <see cref="Read"/> fills a float32 buffer of <see cref="Shape"/>.</summary>
public sealed record SourceTensor(string SourceKey, long[] Shape, Action<Span<float>> Read);

public sealed class SourceTensors
{
    /// <summary>"upstream .pth.tar" or "Hugging Face IJepaModel".</summary>
    public required string Layout { get; init; }
    public Dictionary<string, SourceTensor> ByName { get; } = new(StringComparer.Ordinal);
    /// <summary>Source keys inside a model section that have no place in our model (an error: the config does not fit).</summary>
    public List<string> Unexpected { get; } = [];
    /// <summary>Source keys that map onto nothing but may be missing (e.g. HF's query but no key/value) — an error too.</summary>
    public List<string> Missing { get; } = [];
    /// <summary>Which of our sections (encoder, predictor, target_encoder) the source holds.</summary>
    public HashSet<string> Sections { get; } = new(StringComparer.Ordinal);
    /// <summary>What was read but not imported, and why (optimizer state, loss, ...), and other facts for the report.</summary>
    public List<string> Notes { get; } = [];
    /// <summary>Facts worth keeping in the checkpoint's metadata (upstream epoch, lr, ...).</summary>
    public Dictionary<string, string> Extra { get; } = new(StringComparer.Ordinal);
}
