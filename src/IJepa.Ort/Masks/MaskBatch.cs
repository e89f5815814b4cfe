// One batch of context and target patch indices, in buffers allocated once and reused every step.
namespace IJepa.Ort.Masks;

/// <summary>
/// The masks of one batch, written by <see cref="MultiBlockMaskCollator.Sample"/>. The arrays are allocated once,
/// pinned (so ONNX Runtime can bind them without copying), at full capacity; each step uses a prefix:
/// <list type="bullet">
/// <item><see cref="Context"/>: [B, Nc] row-major, Nc = <see cref="ContextLength"/> (upstream's <c>masks_enc[0]</c>).</item>
/// <item><see cref="Target"/>: [M, B, Nt] block-major, element (m, b, j) at <c>(m·B + b)·Nt + j</c>
/// (upstream's <c>masks_pred</c>, a list of M tensors [B, Nt]).</item>
/// </list>
/// Indices are row-major patch numbers in [0, H·W), sorted within each mask.
/// </summary>
public sealed class MaskBatch
{
    public MaskBatch(int batchSize, int numTargets, int numPatches)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(numTargets, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(numPatches, 1);
        BatchSize = batchSize;
        NumTargets = numTargets;
        NumPatches = numPatches;
        Context = GC.AllocateArray<long>(batchSize * numPatches, pinned: true);
        Target = GC.AllocateArray<long>(numTargets * batchSize * numPatches, pinned: true);
    }

    /// <summary>B: images per batch.</summary>
    public int BatchSize { get; }

    /// <summary>M: target blocks per image (<c>num_pred_masks</c>).</summary>
    public int NumTargets { get; }

    /// <summary>N = H·W: patches per image, the capacity of each mask.</summary>
    public int NumPatches { get; }

    /// <summary>The step these masks were drawn for; −1 before the first <see cref="MultiBlockMaskCollator.Sample"/>.</summary>
    public long Step { get; private set; } = -1;

    /// <summary>Nc: patches per context mask, the shortest context of the batch (upstream's log column <c>mask-A</c>).</summary>
    public int ContextLength { get; private set; }

    /// <summary>Nt: patches per target mask, the shortest target of the batch (upstream's log column <c>mask-B</c>).</summary>
    public int TargetLength { get; private set; }

    /// <summary>The context block size drawn for this batch (before target blocks are cut out).</summary>
    public BlockSize ContextBlock { get; private set; }

    /// <summary>The target block size drawn for this batch.</summary>
    public BlockSize TargetBlock { get; private set; }

    /// <summary>How many times this batch dropped a target exclusion to find a large enough context (upstream logs a warning each time).</summary>
    public int Relaxations { get; private set; }

    /// <summary>Context indices, capacity B·N; the first B·Nc are this step's [B, Nc].</summary>
    public long[] Context { get; }

    /// <summary>Target indices, capacity M·B·N; the first M·B·Nt are this step's [M, B, Nt].</summary>
    public long[] Target { get; }

    /// <summary>This step's context shape [B, Nc], updated in place (for binding without allocating).</summary>
    public long[] ContextShape { get; } = new long[2];

    /// <summary>This step's target shape [M, B, Nt], updated in place.</summary>
    public long[] TargetShape { get; } = new long[3];

    public Span<long> ContextSpan => Context.AsSpan(0, BatchSize * ContextLength);

    public Span<long> TargetSpan => Target.AsSpan(0, NumTargets * BatchSize * TargetLength);

    /// <summary>Image <paramref name="b"/>'s context indices.</summary>
    public ReadOnlySpan<long> ContextOf(int b) => Context.AsSpan(b * ContextLength, ContextLength);

    /// <summary>Target block <paramref name="m"/> of image <paramref name="b"/>.</summary>
    public ReadOnlySpan<long> TargetOf(int m, int b) => Target.AsSpan((m * BatchSize + b) * TargetLength, TargetLength);

    internal void Set(long step, int contextLength, int targetLength, BlockSize contextBlock, BlockSize targetBlock, int relaxations)
    {
        Step = step;
        ContextLength = contextLength;
        TargetLength = targetLength;
        ContextBlock = contextBlock;
        TargetBlock = targetBlock;
        Relaxations = relaxations;
        (ContextShape[0], ContextShape[1]) = (BatchSize, contextLength);
        (TargetShape[0], TargetShape[1], TargetShape[2]) = (NumTargets, BatchSize, targetLength);
    }
}
