// A tensor handed to Checkpoint.Save: a name, a shape and a view of float32 data owned by the caller.
namespace IJepa.Ort.Checkpoints;

/// <summary>A float32 tensor to save: its checkpoint name (see <see cref="CheckpointKeys"/>), shape and data,
/// typically a view into a parameter store's flat buffer.</summary>
public readonly record struct NamedTensor(string Name, long[] Shape, ReadOnlyMemory<float> Data);
