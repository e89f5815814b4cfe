// `ijepa_ort.vc_loss:` — the opt-in variance–covariance regulariser (C-JEPA) added to I-JEPA's loss.
namespace IJepa.Ort.Config;

/// <summary>
/// <c>ijepa_ort.vc_loss:</c> — VICReg's variance and covariance terms (Bardes et al. 2022) on the context encoder, as
/// C-JEPA (Mo &amp; Tong 2024) adds them to I-JEPA against collapse; upstream has no such term. They act on the
/// per-image mean of the context tokens [B, D]: variance = mean_d relu(1 − sqrt(var_d + 1e-4)) (unbiased variance
/// over the batch), covariance = Σ_{i≠j} C_ij² / D. The logged loss is smooth-L1 plus both weighted terms. Known
/// deviation under data parallelism: the batch statistics are each rank's B/N images, not the global batch (the rest
/// of the step does not depend on the rank count). Both 0 (the default) = off.
/// </summary>
public sealed record VcLossConfig
{
    /// <summary><c>variance</c>: weight w_v of the variance term, ≥ 0. Default 0.</summary>
    public double Variance { get; init; }

    /// <summary><c>covariance</c>: weight w_c of the covariance term, ≥ 0. Default 0.</summary>
    public double Covariance { get; init; }
}
