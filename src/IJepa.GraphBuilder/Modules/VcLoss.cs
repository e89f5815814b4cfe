// The VICReg variance and covariance terms (Bardes et al. 2022) as C-JEPA's regulariser against collapse (Mo & Tong 2024).
using IJepa.GraphBuilder.Core;

namespace IJepa.GraphBuilder.Modules;

/// <summary>
/// The <c>ijepa_ort.vc_loss</c> lever: w_v·variance + w_c·covariance of features z [B, D], with VICReg's definitions.
/// The batch statistics are over the rows this graph sees: under data parallelism each rank's B/N images, not the
/// global batch (the rest of the step is independent of the rank count; this term is not).
/// </summary>
public static class VcLoss
{
    /// <summary>VICReg's target standard deviation γ and the ε under the square root.</summary>
    public const double Gamma = 1, Epsilon = 1e-4;

    /// <summary>The per-image mean of the context encoder's tokens [B, Nc, D] → [B, D]: what C-JEPA regularises, and what a probe reads.</summary>
    public static Value PooledFeatures(Graph g, Value context) => g.ReduceMean(context, [1], keepDims: false);

    /// <summary>
    /// variance = mean_d relu(γ − sqrt(var_d + ε)), var over the batch, unbiased (B − 1) as torch.var in VICReg;
    /// covariance = Σ_{i≠j} C_ij² / D with C = zcᵀ·zc / (B − 1), zc the batch-centred z. Both scalars; B ≥ 2.
    /// </summary>
    public static (Value Variance, Value Covariance) Terms(Graph g, Value z)
    {
        long d = z.Shape[^1].Size;
        var centered = g.Sub(z, g.ReduceMean(z, [0]));                                                 // [B, D]
        var dof = g.Sub(g.Cast(g.ShapeOf(z, 0, 1), z.Type), 1.0);                                      // [1]: B − 1
        var variance = g.Div(g.ReduceSum(g.Mul(centered, centered), [0]), dof);                         // [1, D]
        var std = g.Sqrt(g.Add(variance, Epsilon));                                                     // [1, D]
        var varianceLoss = g.ReduceMeanAll(g.Relu(g.Sub(g.ScalarLike(std, Gamma), std)));
        var cov = g.Div(g.Gemm(centered, centered, transA: true), dof);                                 // [D, D]
        var eye = g.Emit1("EyeLike", [g.ConstantOfShape(g.Ints(d, d), [d, d], z.Type)], [], z.Type, [d, d]);
        var offDiagonal = g.Sub(g.ScalarLike(eye, 1.0), eye);                                          // [D, D]: 1 off the diagonal
        var covarianceLoss = g.Div(g.ReduceSum(g.Mul(g.Mul(cov, cov), offDiagonal), [], keepDims: false), d);
        return (varianceLoss, covarianceLoss);
    }

    /// <summary>w_v·variance + w_c·covariance of <see cref="PooledFeatures"/> of <paramref name="context"/> [B, Nc, D] → scalar.</summary>
    public static Value Build(Graph g, Value context, double varianceWeight, double covarianceWeight)
    {
        var (variance, covariance) = Terms(g, PooledFeatures(g, context));
        if (covarianceWeight == 0) return g.Mul(variance, varianceWeight);
        if (varianceWeight == 0) return g.Mul(covariance, covarianceWeight);
        return g.Add(g.Mul(variance, varianceWeight), g.Mul(covariance, covarianceWeight));
    }
}
