// torch F.smooth_l1_loss(z, h, beta=1, reduction='mean') and its gradient with respect to z.
namespace IJepa.GraphBuilder.Tests.Reference;

internal static class SmoothL1
{
    // loss_i = 0.5 d^2 for |d| < 1, |d| - 0.5 otherwise (d = z - h); dloss/dz_i = clamp(d, -1, 1) / count.
    public static (double Loss, double[] Grad) Mean(double[] z, double[] h)
    {
        double sum = 0;
        var grad = new double[z.Length];
        for (int i = 0; i < z.Length; i++)
        {
            double d = z[i] - h[i];
            sum += Math.Abs(d) < 1 ? 0.5 * d * d : Math.Abs(d) - 0.5;
            grad[i] = Math.Clamp(d, -1, 1) / z.Length;
        }
        return (sum / z.Length, grad);
    }
}
