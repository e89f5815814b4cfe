// Masks of fixed lengths for benchmarks: the TorchSharp peer times Nc context and Nt target patches per row; which
// patches does not change the cost, so the rows simply count up (context) and down (targets).
using IJepa.Ort.Masks;

namespace IJepa.Ort.Training;

public sealed class FixedShapeMasks(int numTargets, int numPatches, int contextLength, int targetLength) : IMaskSource
{
    public MaskBatch NewBatch(int batchSize) => new(batchSize, numTargets, numPatches);

    public void Sample(long step, MaskBatch into)
    {
        int batch = into.BatchSize;
        for (int i = 0; i < batch * contextLength; i++) into.Context[i] = i % contextLength;
        for (int i = 0; i < numTargets * batch * targetLength; i++) into.Target[i] = numPatches - 1 - i % targetLength;
        var (contextBlock, targetBlock) = (new BlockSize(1, contextLength), new BlockSize(1, targetLength));
        into.Set(step, contextLength, targetLength, contextBlock, targetBlock, relaxations: 0);
    }
}
