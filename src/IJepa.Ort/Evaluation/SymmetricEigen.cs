// Eigenvalues of a small symmetric matrix by cyclic Jacobi rotations (for the collapse monitor's effective rank).
namespace IJepa.Ort.Evaluation;

public static class SymmetricEigen
{
    /// <summary>
    /// The eigenvalues of the symmetric n×n matrix <paramref name="a"/> (row-major; destroyed), in no particular order.
    /// Sweeps until the off-diagonal mass is below 1e-12 of the total (or 50 sweeps): O(n³) per sweep, fine for n ≤ ~1000.
    /// </summary>
    public static double[] Eigenvalues(double[] a, int n)
    {
        if (a.Length < n * n) throw new ArgumentException($"{n}×{n} matrix needs {n * n} values, got {a.Length}");
        double total = 0;
        for (int i = 0; i < n * n; i++) total += a[i] * a[i];
        for (int sweep = 0; sweep < 50; sweep++)
        {
            double off = 0;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++) off += 2 * a[p * n + q] * a[p * n + q];
            if (off <= 1e-24 * total || off == 0) break;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++)
                    if (a[p * n + q] != 0) Rotate(a, n, p, q);
        }
        return Enumerable.Range(0, n).Select(i => a[i * n + i]).ToArray();
    }

    /// <summary>One Jacobi rotation zeroing a[p, q] (Golub & Van Loan, Algorithm 8.5.1), applied to rows and columns p and q.</summary>
    private static void Rotate(double[] a, int n, int p, int q)
    {
        double apq = a[p * n + q];
        double theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        double t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
        double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
        for (int k = 0; k < n; k++)
        {
            double akp = a[k * n + p], akq = a[k * n + q];
            a[k * n + p] = c * akp - s * akq;
            a[k * n + q] = s * akp + c * akq;
        }
        for (int k = 0; k < n; k++)
        {
            double apk = a[p * n + k], aqk = a[q * n + k];
            a[p * n + k] = c * apk - s * aqk;
            a[q * n + k] = s * apk + c * aqk;
        }
    }
}
