// Opt-in changes to the I-JEPA objective (issue 11's levers for small images); the default is upstream's loss exactly.
namespace IJepa.GraphBuilder.Models;

/// <summary>
/// What the train step regresses and what it adds to the loss. <see cref="Upstream"/> is facebookresearch/ijepa:
/// targets are F.layer_norm of the target encoder's output, the loss is smooth-L1 alone.
/// </summary>
/// <param name="TargetBlocks">
/// K: 1 = upstream. K &gt; 1 (data2vec, Baevski et al. 2022): the target is the mean over the target encoder's last K
/// blocks of F.layer_norm(block output).
/// </param>
/// <param name="VarianceWeight">w_v of the VICReg variance term on the context encoder (C-JEPA, Mo &amp; Tong 2024); 0 = off.</param>
/// <param name="CovarianceWeight">w_c of the VICReg covariance term on the context encoder; 0 = off.</param>
public sealed record TrainObjective(int TargetBlocks = 1, double VarianceWeight = 0, double CovarianceWeight = 0)
{
    /// <summary>Upstream I-JEPA: last-layer targets, no regulariser.</summary>
    public static readonly TrainObjective Upstream = new();

    public bool IsUpstream => this == Upstream;

    /// <summary>Whether the variance–covariance regulariser is on.</summary>
    public bool HasVcLoss => VarianceWeight != 0 || CovarianceWeight != 0;

    /// <summary>Why this objective cannot be built on an encoder of <paramref name="depth"/> blocks, or null when it can.</summary>
    public string? Problem(int depth)
    {
        if (TargetBlocks < 1 || TargetBlocks > depth) return $"target_blocks {TargetBlocks} must lie in 1..{depth} (the encoder's depth)";
        if (!(VarianceWeight >= 0) || !double.IsFinite(VarianceWeight)) return $"vc_loss variance weight {VarianceWeight} must be a finite number ≥ 0";
        if (!(CovarianceWeight >= 0) || !double.IsFinite(CovarianceWeight)) return $"vc_loss covariance weight {CovarianceWeight} must be a finite number ≥ 0";
        return null;
    }
}
