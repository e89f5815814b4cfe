// Rules for element-wise ops: arithmetic with broadcasting, unary functions, Where, GELU.
using IJepa.GraphBuilder.Core;

namespace IJepa.GraphBuilder.Autodiff;

public static partial class GradRules
{
    private static Value?[] Identity(GradContext c, Value?[] d) => [d[0]];

    private static Value?[] Add(GradContext c, Value?[] d) =>
        [c.Needs(0) ? c.Unbroadcast(d[0]!, c.X(0)) : null, c.Needs(1) ? c.Unbroadcast(d[0]!, c.X(1)) : null];

    private static Value?[] Sub(GradContext c, Value?[] d) =>
        [c.Needs(0) ? c.Unbroadcast(d[0]!, c.X(0)) : null, c.Needs(1) ? c.Unbroadcast(c.G.Neg(d[0]!), c.X(1)) : null];

    private static Value?[] Mul(GradContext c, Value?[] d) =>
        [c.Needs(0) ? c.Unbroadcast(c.G.Mul(d[0]!, c.X(1)), c.X(0)) : null,
         c.Needs(1) ? c.Unbroadcast(c.G.Mul(d[0]!, c.X(0)), c.X(1)) : null];

    // y = a / b: da = dy / b, db = -dy · y / b
    private static Value?[] Div(GradContext c, Value?[] d) =>
        [c.Needs(0) ? c.Unbroadcast(c.G.Div(d[0]!, c.X(1)), c.X(0)) : null,
         c.Needs(1) ? c.Unbroadcast(c.G.Neg(c.G.Mul(d[0]!, c.G.Div(c.Y(), c.X(1)))), c.X(1)) : null];

    // y = a^b: da = dy · b · a^(b-1), db = dy · y · ln a
    private static Value?[] Pow(GradContext c, Value?[] d)
    {
        var g = c.G;
        return [c.Needs(0) ? c.Unbroadcast(g.Mul(d[0]!, g.Mul(c.X(1), g.Pow(c.X(0), g.Sub(c.X(1), 1.0)))), c.X(0)) : null,
                c.Needs(1) ? c.Unbroadcast(g.Mul(d[0]!, g.Mul(c.Y(), g.Log(c.X(0)))), c.X(1)) : null];
    }

    private static Value?[] Neg(GradContext c, Value?[] d) => [c.G.Neg(d[0]!)];
    private static Value?[] Abs(GradContext c, Value?[] d) => [c.G.Mul(d[0]!, c.G.Sign(c.X(0)))];
    private static Value?[] Sqrt(GradContext c, Value?[] d) => [c.G.Div(c.G.Mul(d[0]!, 0.5), c.Y())];
    private static Value?[] Exp(GradContext c, Value?[] d) => [c.G.Mul(d[0]!, c.Y())];
    private static Value?[] Log(GradContext c, Value?[] d) => [c.G.Div(d[0]!, c.X(0))];
    // relu' = 1 where x > 0, else 0 (torch's choice at 0)
    private static Value?[] Relu(GradContext c, Value?[] d) =>
        [c.G.Where(c.G.Greater(c.X(0), c.G.ScalarLike(c.X(0), 0.0)), d[0]!, c.G.ScalarLike(d[0]!, 0.0))];

    private static Value?[] Reciprocal(GradContext c, Value?[] d) => [c.G.Neg(c.G.Mul(d[0]!, c.G.Mul(c.Y(), c.Y())))];

    // tanh' = 1 - y²
    private static Value?[] Tanh(GradContext c, Value?[] d)
    {
        var g = c.G;
        var one = g.ScalarLike(c.Y(), 1.0);
        return [g.Mul(d[0]!, g.Sub(one, g.Mul(c.Y(), c.Y())))];
    }

    // erf'(x) = 2/√π · exp(-x²)
    private static Value?[] Erf(GradContext c, Value?[] d)
    {
        var g = c.G;
        var x = c.X(0);
        return [g.Mul(d[0]!, g.Mul(g.Exp(g.Neg(g.Mul(x, x))), 2.0 / Math.Sqrt(Math.PI)))];
    }

    private static Value?[] Where(GradContext c, Value?[] d)
    {
        var g = c.G;
        var zero = g.ScalarLike(d[0]!, 0.0);
        return [null,
                c.Needs(1) ? c.Unbroadcast(g.Where(c.X(0), d[0]!, zero), c.X(1)) : null,
                c.Needs(2) ? c.Unbroadcast(g.Where(c.X(0), zero, d[0]!), c.X(2)) : null];
    }

    private static Value?[] Cast(GradContext c, Value?[] d) => [c.X(0).Type.IsFloating() ? c.G.Cast(d[0]!, c.X(0).Type) : null];

    // exact: Φ(x) + x·φ(x); tanh: ½(1+t) + ½x(1−t²)·√(2/π)(1 + 3·0.044715x²), t = tanh(√(2/π)(x + 0.044715x³))
    private static Value?[] Gelu(GradContext c, Value?[] d)
    {
        var g = c.G;
        var x = c.X(0);
        Value slope;
        if (c.Node.String("approximate") == "tanh")
        {
            const double k = 0.044715;
            double s = Math.Sqrt(2 / Math.PI);
            var x2 = g.Mul(x, x);
            var t = g.Tanh(g.Mul(g.Add(x, g.Mul(g.Mul(x2, x), k)), s));
            var sech2 = g.Sub(g.ScalarLike(x, 1.0), g.Mul(t, t));
            var inner = g.Mul(g.Add(g.Mul(x2, 3 * k), 1.0), s);
            slope = g.Add(g.Mul(g.Add(t, 1.0), 0.5), g.Mul(g.Mul(g.Mul(x, 0.5), sech2), inner));
        }
        else
        {
            var cdf = g.Mul(g.Add(g.Erf(g.Mul(x, 1 / Math.Sqrt(2))), 1.0), 0.5);
            var pdf = g.Mul(g.Exp(g.Mul(g.Mul(x, x), -0.5)), 1 / Math.Sqrt(2 * Math.PI));
            slope = g.Add(cdf, g.Mul(x, pdf));
        }
        return [g.Mul(d[0]!, slope)];
    }
}
