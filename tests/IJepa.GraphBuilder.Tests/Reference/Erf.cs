// The error function in double precision, written out because .NET has none (exact GELU needs it).
namespace IJepa.GraphBuilder.Tests.Reference;

/// <summary>erf(x) and erfc(x) to a few ulps: a positive-term series near 0, Lentz's continued fraction in the tails.</summary>
internal static class Erf
{
    private const double SeriesLimit = 2.5;
    private static readonly double TwoOverSqrtPi = 2 / Math.Sqrt(Math.PI);

    public static double Of(double x)
    {
        if (double.IsNaN(x)) return x;
        double a = Math.Abs(x);
        double r = a < SeriesLimit ? Series(a) : 1 - ContinuedFraction(a);
        return x < 0 ? -r : r;
    }

    /// <summary>erfc(x) = 1 - erf(x), without cancellation for large x.</summary>
    public static double Complement(double x)
    {
        if (double.IsNaN(x)) return x;
        if (x < SeriesLimit) return 1 - Of(x);
        return ContinuedFraction(x);
    }

    // erf(x) = 2/sqrt(pi) e^{-x^2} sum_n 2^n x^{2n+1} / (1*3*...*(2n+1)), x >= 0: every term is positive, so the sum
    // has no cancellation (the alternating Taylor series loses ~x^2/ln(10) digits).
    private static double Series(double x)
    {
        double x2 = x * x, term = x, sum = x;
        for (int n = 1; n < 500 && term > sum * 1e-18; n++)
        {
            term *= 2 * x2 / (2 * n + 1);
            sum += term;
        }
        return TwoOverSqrtPi * Math.Exp(-x2) * sum;
    }

    // erfc(x) = e^{-x^2}/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), x > 0, by the modified Lentz method.
    private static double ContinuedFraction(double x)
    {
        const double tiny = 1e-300;
        double f = x, c = x, d = 0;
        for (int n = 1; n < 5000; n++)
        {
            double an = n / 2.0;
            d = x + an * d;
            if (d == 0) d = tiny;
            c = x + an / c;
            if (c == 0) c = tiny;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1) < 1e-17) break;
        }
        return Math.Exp(-x * x) / Math.Sqrt(Math.PI) / f;
    }
}
