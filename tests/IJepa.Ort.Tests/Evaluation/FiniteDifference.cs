// Test support: a probe head's analytic gradient against central finite differences of its loss (float64 graphs).
namespace IJepa.Ort.Tests.Evaluation;

internal static class FiniteDifference
{
    /// <summary>
    /// ‖analytic − numeric‖ / ‖numeric‖, numeric[i] = (loss(θ + h·eᵢ) − loss(θ − h·eᵢ)) / 2h over every entry of the flat
    /// parameter vector <paramref name="flat"/> (perturbed in place and restored).
    /// </summary>
    public static double RelativeError(Func<double[], double> loss, double[] flat, double[] analytic, double h = 1e-6)
    {
        double diff = 0, norm = 0;
        for (int i = 0; i < flat.Length; i++)
        {
            double keep = flat[i];
            flat[i] = keep + h;
            double plus = loss(flat);
            flat[i] = keep - h;
            double minus = loss(flat);
            flat[i] = keep;
            double numeric = (plus - minus) / (2 * h);
            diff += (analytic[i] - numeric) * (analytic[i] - numeric);
            norm += numeric * numeric;
        }
        return Math.Sqrt(diff / norm);
    }
}
