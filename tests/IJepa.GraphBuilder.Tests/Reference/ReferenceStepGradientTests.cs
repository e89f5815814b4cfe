// Finite-difference checks of the reference step's hand-written backward: central differences in double precision,
// Richardson-extrapolated (steps s and s/2, error O(s^4)) so the check resolves ~1e-11 instead of plain central
// differences' ~1e-9 noise floor at s = 1e-6.
namespace IJepa.GraphBuilder.Tests.Reference;

[TestFixture]
public sealed class ReferenceStepGradientTests
{
    private const double Step = 1e-4;        // s, absolute
    private const double RelTol = 1e-6;      // |g - fd| / max(|g|, |fd|)
    private const double AbsTol = 1e-10;     // for tiny gradients (e.g. the exact zeros of the key biases)
    private const double Tiny = 1e-4;        // relative error is reported where max(|g|, |fd|) exceeds this

    [TestCase(ReferenceGelu.Exact)]
    [TestCase(ReferenceGelu.Tanh)]
    public void Run_ToyConfig_GradientsMatchFiniteDifferences(ReferenceGelu gelu) =>
        CheckAgainstFiniteDifferences(ReferenceCase.Toy(gelu), coordsPerTensor: 16);

    [TestCase(ReferenceGelu.Exact)]
    [TestCase(ReferenceGelu.Tanh)]
    public void Run_WideConfigWithOverlappingTargets_GradientsMatchFiniteDifferences(ReferenceGelu gelu) =>
        CheckAgainstFiniteDifferences(ReferenceCase.Wide(gelu), coordsPerTensor: 4);

    // All 2,320 coordinates: ~10 s on an idle core, so kept out of the normal run.
    [Explicit("slow: every coordinate")]
    [TestCase(ReferenceGelu.Exact)]
    [TestCase(ReferenceGelu.Tanh)]
    public void Run_ToyConfig_EveryGradientCoordinateMatchesFiniteDifferences(ReferenceGelu gelu) =>
        CheckAgainstFiniteDifferences(ReferenceCase.Toy(gelu), coordsPerTensor: int.MaxValue);

    private static void CheckAgainstFiniteDifferences(ReferenceCase c, int coordsPerTensor)
    {
        var result = c.Run();
        AssertBothSmoothL1Zones(result);
        var baseZones = QuadraticZone(result);
        var rng = new Random(7);
        var probe = c.Parameters.ToDictionary(kv => kv.Key, kv => (double[])kv.Value.Clone());
        double worstRel = 0, worstAbs = 0;
        int checkedCount = 0, shrunk = 0;
        var failures = new List<string>();
        foreach (var p in c.Step.Parameters.Where(p => p.Trainable))
        {
            var g = result.Grads[p.Key];
            var theta = probe[p.Key];
            foreach (int i in Enumerable.Range(0, p.Count).OrderBy(_ => rng.Next()).Take(coordsPerTensor))
            {
                double x0 = theta[i];
                bool crossed = false;
                double LossAt(double d)
                {
                    theta[i] = x0 + d;
                    var r = c.Run(probe);
                    theta[i] = x0;
                    crossed |= !QuadraticZone(r).SequenceEqual(baseZones);
                    return r.Loss;
                }
                double fd = 0;
                for (double s = Step; s > Step * 1e-3; s /= 10, shrunk++)
                {
                    crossed = false;
                    fd = Derivative(LossAt, s);
                    if (!crossed) break;
                }
                double err = Math.Abs(g[i] - fd), big = Math.Max(Math.Abs(g[i]), Math.Abs(fd));
                worstAbs = Math.Max(worstAbs, err);
                if (big > Tiny) worstRel = Math.Max(worstRel, err / big);
                if (err > AbsTol && err > RelTol * big) failures.Add($"{p.Key}[{i}]: analytic {g[i]:R}, fd {fd:R}");
                checkedCount++;
            }
        }
        TestContext.Out.WriteLine($"{checkedCount} coordinates ({shrunk} stencils shrunk at the smooth_l1 kink), loss {result.Loss:R}: " +
                                  $"max rel err (|g| > {Tiny:G1}) {worstRel:E2}, max abs err {worstAbs:E2}");
        Assert.That(failures, Is.Empty);
    }

    // (4 D(s/2) - D(s)) / 3 with D(s) = (L(x + s) - L(x - s)) / 2s; lossAt(d) is the loss with the coordinate moved by d.
    private static double Derivative(Func<double, double> lossAt, double s)
    {
        double Central(double h) => (lossAt(h) - lossAt(-h)) / (2 * h);
        return (4 * Central(s / 2) - Central(s)) / 3;
    }

    // smooth_l1 is only C^1 where |z - h| = 1: a stencil that moves an element across it measures the kink, so the
    // check shrinks the step when the set of quadratic-zone elements changes.
    private static bool[] QuadraticZone(ReferenceResult r) =>
        r.Prediction.Select((z, i) => Math.Abs(z - r.TargetFeatures[i]) < 1).ToArray();

    private static void AssertBothSmoothL1Zones(ReferenceResult r)
    {
        int quadratic = QuadraticZone(r).Count(q => q);
        Assert.That(quadratic, Is.InRange(1, r.Prediction.Length - 1), "both smooth_l1 zones should be exercised");
    }
}
