// LayerNorm over the last dimension (biased variance, as torch), optional affine, forward and backward.
namespace IJepa.GraphBuilder.Tests.Reference;

internal sealed class LayerNorm(double[]? weight, double[]? bias, double[]? dWeight, double[]? dBias, int dim, double eps)
{
    private double[] xHat = [], invStd = [];

    public static LayerNorm At(ParameterScope scope, int dim, double eps) =>
        new(scope.Value("weight"), scope.Value("bias"), scope.Grad("weight"), scope.Grad("bias"), dim, eps);

    /// <summary>F.layer_norm without weight and bias (the target features).</summary>
    public static LayerNorm NoAffine(int dim, double eps) => new(null, null, null, null, dim, eps);

    public double[] Forward(double[] x)   // [R, dim] -> [R, dim]
    {
        int rows = x.Length / dim;
        xHat = new double[x.Length];
        invStd = new double[rows];
        var y = new double[x.Length];
        for (int r = 0; r < rows; r++)
        {
            int o = r * dim;
            double mean = 0, variance = 0;
            for (int i = 0; i < dim; i++) mean += x[o + i];
            mean /= dim;
            for (int i = 0; i < dim; i++) variance += (x[o + i] - mean) * (x[o + i] - mean);
            variance /= dim;
            invStd[r] = 1 / Math.Sqrt(variance + eps);
            for (int i = 0; i < dim; i++)
            {
                xHat[o + i] = (x[o + i] - mean) * invStd[r];
                y[o + i] = weight is null ? xHat[o + i] : xHat[o + i] * weight[i] + bias![i];
            }
        }
        return y;
    }

    // g = dy * weight; dx = invStd (g - mean(g) - xHat mean(g xHat)); dWeight += dy xHat; dBias += dy.
    public double[] Backward(double[] dy)
    {
        int rows = dy.Length / dim;
        var dx = new double[dy.Length];
        var g = new double[dim];
        for (int r = 0; r < rows; r++)
        {
            int o = r * dim;
            double meanG = 0, meanGx = 0;
            for (int i = 0; i < dim; i++)
            {
                g[i] = weight is null ? dy[o + i] : dy[o + i] * weight[i];
                meanG += g[i];
                meanGx += g[i] * xHat[o + i];
                if (dWeight is not null) dWeight[i] += dy[o + i] * xHat[o + i];
                if (dBias is not null) dBias[i] += dy[o + i];
            }
            meanG /= dim;
            meanGx /= dim;
            for (int i = 0; i < dim; i++) dx[o + i] = invStd[r] * (g[i] - meanG - xHat[o + i] * meanGx);
        }
        return dx;
    }
}
