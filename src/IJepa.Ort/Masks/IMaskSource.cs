// What draws a batch's masks: the multi-block collator in training, fixed shapes in benchmarks.
namespace IJepa.Ort.Masks;

public interface IMaskSource
{
    /// <summary>Buffers for the masks of batches of <paramref name="batchSize"/> images.</summary>
    MaskBatch NewBatch(int batchSize);

    /// <summary>Writes the masks of global step <paramref name="step"/> into <paramref name="into"/>.</summary>
    void Sample(long step, MaskBatch into);
}
