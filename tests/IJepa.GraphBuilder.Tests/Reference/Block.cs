// Upstream's pre-LN transformer Block: x = x + attn(norm1(x)); x = x + mlp(norm2(x)), MLP = fc1 -> GELU -> fc2.
namespace IJepa.GraphBuilder.Tests.Reference;

internal sealed class Block(LayerNorm norm1, Attention attn, LayerNorm norm2, Linear fc1, Gelu gelu, Linear fc2)
{
    public static Block At(ParameterScope scope, int dim, int heads, int hidden, double eps, ReferenceGelu gelu) => new(
        LayerNorm.At(scope.Child("norm1"), dim, eps), Attention.At(scope.Child("attn"), dim, heads),
        LayerNorm.At(scope.Child("norm2"), dim, eps),
        Linear.At(scope.Child("mlp.fc1"), dim, hidden), new Gelu(gelu), Linear.At(scope.Child("mlp.fc2"), hidden, dim));

    public double[] Forward(double[] x, int tokens)   // [S, N, D] -> [S, N, D]
    {
        var x1 = Add(x, attn.Forward(norm1.Forward(x), tokens));
        return Add(x1, fc2.Forward(gelu.Forward(fc1.Forward(norm2.Forward(x1)))));
    }

    public double[] Backward(double[] dy)
    {
        var dx1 = Add(dy, norm2.Backward(fc1.Backward(gelu.Backward(fc2.Backward(dy)))));
        return Add(dx1, norm1.Backward(attn.Backward(dx1)));
    }

    private static double[] Add(double[] a, double[] b)
    {
        var y = new double[a.Length];
        for (int i = 0; i < a.Length; i++) y[i] = a[i] + b[i];
        return y;
    }
}
