// torch nn.Linear over token rows (y = x W^T + b, W [out, in]), forward and hand-written backward.
namespace IJepa.GraphBuilder.Tests.Reference;

internal sealed class Linear(double[] weight, double[]? bias, double[]? dWeight, double[]? dBias, int inFeatures, int outFeatures)
{
    private double[] x = [];

    /// <summary>The layer "{scope}weight" / "{scope}bias" (bias optional, e.g. qkv without bias).</summary>
    public static Linear At(ParameterScope scope, int inFeatures, int outFeatures) =>
        new(scope.Value("weight"), scope.OptionalValue("bias"), scope.Grad("weight"), scope.Grad("bias"), inFeatures, outFeatures);

    public double[] Forward(double[] input)   // [R, in] -> [R, out]
    {
        x = input;
        int rows = x.Length / inFeatures;
        var y = new double[rows * outFeatures];
        for (int r = 0; r < rows; r++)
            for (int o = 0; o < outFeatures; o++)
            {
                double s = bias?[o] ?? 0;
                for (int i = 0; i < inFeatures; i++) s += x[r * inFeatures + i] * weight[o * inFeatures + i];
                y[r * outFeatures + o] = s;
            }
        return y;
    }

    // dx = dy W; dW += dy^T x; db += sum over rows of dy.
    public double[] Backward(double[] dy)   // [R, out] -> [R, in]
    {
        int rows = x.Length / inFeatures;
        var dx = new double[rows * inFeatures];
        for (int r = 0; r < rows; r++)
            for (int o = 0; o < outFeatures; o++)
            {
                double g = dy[r * outFeatures + o];
                if (dBias is not null) dBias[o] += g;
                for (int i = 0; i < inFeatures; i++)
                {
                    dx[r * inFeatures + i] += g * weight[o * inFeatures + i];
                    if (dWeight is not null) dWeight[o * inFeatures + i] += g * x[r * inFeatures + i];
                }
            }
        return dx;
    }
}
