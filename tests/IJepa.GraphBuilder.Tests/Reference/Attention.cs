// Multi-head softmax self-attention as upstream's Attention: qkv Linear, torch reshape [S, N, 3, H, hd], scale hd^-0.5, proj.
namespace IJepa.GraphBuilder.Tests.Reference;

internal sealed class Attention(Linear qkv, Linear proj, int dim, int heads)
{
    private readonly int headDim = dim / heads;
    private readonly double scale = Math.Pow(dim / heads, -0.5);
    private double[] qkvOut = [], probs = [];
    private int seqs, tokens;

    public static Attention At(ParameterScope scope, int dim, int heads) =>
        new(Linear.At(scope.Child("qkv"), dim, 3 * dim), Linear.At(scope.Child("proj"), dim, dim), dim, heads);

    // Channel c of qkv row (s, n) is part c / dim (q, k, v), head (c % dim) / hd, lane c % hd: the reshape.
    private int At(int part, int s, int n, int h, int d) => ((s * tokens + n) * 3 + part) * dim + h * headDim + d;

    public double[] Forward(double[] x, int tokens)   // [S, N, D] -> [S, N, D]
    {
        this.tokens = tokens;
        seqs = x.Length / (tokens * dim);
        qkvOut = qkv.Forward(x);                       // [S, N, 3D]
        probs = new double[seqs * heads * tokens * tokens];   // [S, H, N, N]
        var o = new double[x.Length];                  // [S, N, H*hd]
        var row = new double[tokens];
        for (int s = 0; s < seqs; s++)
            for (int h = 0; h < heads; h++)
                for (int n = 0; n < tokens; n++)
                {
                    double max = double.NegativeInfinity, sum = 0;
                    for (int m = 0; m < tokens; m++)
                    {
                        double dot = 0;
                        for (int d = 0; d < headDim; d++) dot += qkvOut[At(0, s, n, h, d)] * qkvOut[At(1, s, m, h, d)];
                        row[m] = dot * scale;
                        max = Math.Max(max, row[m]);
                    }
                    for (int m = 0; m < tokens; m++) sum += row[m] = Math.Exp(row[m] - max);
                    int p = ((s * heads + h) * tokens + n) * tokens;
                    for (int m = 0; m < tokens; m++) probs[p + m] = row[m] / sum;
                    for (int d = 0; d < headDim; d++)
                    {
                        double acc = 0;
                        for (int m = 0; m < tokens; m++) acc += probs[p + m] * qkvOut[At(2, s, m, h, d)];
                        o[(s * tokens + n) * dim + h * headDim + d] = acc;
                    }
                }
        return proj.Forward(o);
    }

    // dP = dO V^T; dV = P^T dO; dScores = P (dP - rowsum(P dP)); dQ = scale dScores K; dK = scale dScores^T Q.
    public double[] Backward(double[] dy)
    {
        var dO = proj.Backward(dy);                    // [S, N, D]
        var dQkv = new double[qkvOut.Length];          // [S, N, 3D]
        var dP = new double[tokens];
        for (int s = 0; s < seqs; s++)
            for (int h = 0; h < heads; h++)
                for (int n = 0; n < tokens; n++)
                {
                    int p = ((s * heads + h) * tokens + n) * tokens, on = (s * tokens + n) * dim + h * headDim;
                    double rowDot = 0;
                    for (int m = 0; m < tokens; m++)
                    {
                        double acc = 0;
                        for (int d = 0; d < headDim; d++)
                        {
                            acc += dO[on + d] * qkvOut[At(2, s, m, h, d)];
                            dQkv[At(2, s, m, h, d)] += probs[p + m] * dO[on + d];
                        }
                        dP[m] = acc;
                        rowDot += probs[p + m] * acc;
                    }
                    for (int m = 0; m < tokens; m++)
                    {
                        double dScore = probs[p + m] * (dP[m] - rowDot) * scale;
                        for (int d = 0; d < headDim; d++)
                        {
                            dQkv[At(0, s, n, h, d)] += dScore * qkvOut[At(1, s, m, h, d)];
                            dQkv[At(1, s, m, h, d)] += dScore * qkvOut[At(0, s, n, h, d)];
                        }
                    }
                }
        return qkv.Backward(dQkv);
    }
}
