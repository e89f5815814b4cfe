// GELU in its two forms, value and derivative, for the plain-C# reference step.
namespace IJepa.GraphBuilder.Tests.Reference;

/// <summary>Which GELU the reference uses: exact erf (upstream's nn.GELU()) or the tanh approximation.</summary>
public enum ReferenceGelu
{
    /// <summary>0.5 x (1 + erf(x / sqrt 2)), as torch's default GELU.</summary>
    Exact,

    /// <summary>0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), as torch's GELU(approximate='tanh').</summary>
    Tanh,
}

/// <summary>GELU as a module: caches its input in the forward for the backward.</summary>
internal sealed class Gelu(ReferenceGelu kind)
{
    private static readonly double InvSqrt2 = 1 / Math.Sqrt(2);
    private static readonly double InvSqrt2Pi = 1 / Math.Sqrt(2 * Math.PI);
    private static readonly double SqrtTwoOverPi = Math.Sqrt(2 / Math.PI);
    private const double TanhCubic = 0.044715;
    private double[] x = [];

    public double[] Forward(double[] input)
    {
        x = input;
        var y = new double[x.Length];
        for (int i = 0; i < x.Length; i++) y[i] = Value(kind, x[i]);
        return y;
    }

    public double[] Backward(double[] dy)
    {
        var dx = new double[dy.Length];
        for (int i = 0; i < dy.Length; i++) dx[i] = dy[i] * Derivative(kind, x[i]);
        return dx;
    }

    public static double Value(ReferenceGelu kind, double v) => kind switch
    {
        ReferenceGelu.Exact => 0.5 * v * (1 + Erf.Of(v * InvSqrt2)),
        _ => 0.5 * v * (1 + Math.Tanh(SqrtTwoOverPi * (v + TanhCubic * v * v * v))),
    };

    // Exact: Phi(v) + v phi(v). Tanh: 0.5 (1 + t) + 0.5 v (1 - t^2) sqrt(2/pi) (1 + 3 c v^2), t = tanh(u).
    public static double Derivative(ReferenceGelu kind, double v)
    {
        if (kind == ReferenceGelu.Exact)
            return 0.5 * (1 + Erf.Of(v * InvSqrt2)) + v * InvSqrt2Pi * Math.Exp(-0.5 * v * v);
        double t = Math.Tanh(SqrtTwoOverPi * (v + TanhCubic * v * v * v));
        return 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * SqrtTwoOverPi * (1 + 3 * TanhCubic * v * v);
    }
}
