// The collapse monitor: are the target encoder's features still spread out? Two figures, on a batch of pooled features:
// the per-dimension standard deviation of the L2-normalised features across the batch (SimSiam §4's monitor; ≈ 1/√D when
// spread isotropically, 0 when every image maps to the same point), and their effective rank (Roy & Vetterli 2007:
// exp of the entropy of the normalised singular values of the centred features; 1..min(N, D), 0 for a constant encoder).
using System.Numerics.Tensors;

namespace IJepa.Ort.Evaluation;

/// <summary>The monitor's figures; <see cref="Warning"/> is set when they fall toward collapse.</summary>
public sealed record CollapseStats(double FeatureStd, double NormalizedStd, double EffectiveRank, int Dim, string? Warning)
{
    public bool Collapsing => Warning is not null;
}

public static class CollapseMonitor
{
    /// <summary>Warn below this std·√D (1 is isotropic spread; measured: random-init micro encoders ≈ 0.15–0.3).</summary>
    public const double MinNormalizedStd = 0.02;
    /// <summary>Warn below this effective rank (a fraction of the dimension, at least 2).</summary>
    public const double MinRankFraction = 0.02;

    public static CollapseStats Measure(FeatureSet features) => Measure(features.Data, features.Count, features.Dim);

    /// <summary>The figures of <paramref name="rows"/> feature vectors of width <paramref name="dim"/> (row-major).</summary>
    public static CollapseStats Measure(ReadOnlySpan<float> data, int rows, int dim)
    {
        if (rows < 2) throw new ArgumentException($"the collapse monitor needs at least 2 rows, got {rows}");
        var normalized = new double[rows * dim];
        var mean = new double[dim];
        for (int i = 0; i < rows; i++)
        {
            var row = data.Slice(i * dim, dim);
            double norm = TensorPrimitives.Norm(row);
            for (int j = 0; j < dim; j++)
            {
                double z = norm > 0 ? row[j] / norm : 0;
                normalized[i * dim + j] = z;
                mean[j] += z / rows;
            }
        }
        var covariance = new double[dim * dim];                                              // Zcᵀ·Zc, [D, D]
        var centred = new double[dim];
        double stdSum = 0;
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < dim; j++) centred[j] = normalized[i * dim + j] - mean[j];
            for (int j = 0; j < dim; j++)
            {
                double cj = centred[j];
                if (cj == 0) continue;
                for (int k = j; k < dim; k++) covariance[j * dim + k] += cj * centred[k];
            }
        }
        for (int j = 0; j < dim; j++)
        {
            stdSum += Math.Sqrt(Math.Max(0, covariance[j * dim + j]) / rows);
            for (int k = j + 1; k < dim; k++) covariance[k * dim + j] = covariance[j * dim + k];
        }
        double std = stdSum / dim;
        double rank = EffectiveRank(SymmetricEigen.Eigenvalues(covariance, dim));
        double normalizedStd = std * Math.Sqrt(dim);
        double minRank = Math.Max(2, MinRankFraction * Math.Min(rows, dim));
        string? warning = normalizedStd < MinNormalizedStd || rank < minRank
            ? $"target features are collapsing: std of normalised features {std:G3} (×√D = {normalizedStd:G3}, warn below {MinNormalizedStd}), effective rank {rank:F1} of {dim} (warn below {minRank:F1})"
            : null;
        return new CollapseStats(std, normalizedStd, rank, dim, warning);
    }

    /// <summary>exp(−Σ pᵢ log pᵢ), pᵢ = σᵢ / Σσ over the singular values σᵢ = √λᵢ; 0 when every σ is 0.</summary>
    public static double EffectiveRank(IEnumerable<double> eigenvalues)
    {
        var sigma = eigenvalues.Select(l => Math.Sqrt(Math.Max(0, l))).ToArray();
        double sum = sigma.Sum();
        if (sum <= 1e-12 * Math.Max(1, sigma.Length)) return 0;
        double entropy = 0;
        foreach (double s in sigma)
            if (s > 0) entropy -= s / sum * Math.Log(s / sum);
        return Math.Exp(entropy);
    }
}
