// Token selection by index (upstream apply_masks) and its adjoint, scatter-add.
namespace IJepa.GraphBuilder.Tests.Reference;

internal static class Tokens
{
    /// <summary>
    /// x [S, N, D], index [R, K] -> [R, K, D]; output row r reads source sequence r % S, so a block-major index
    /// [M, B, K] (row m*B + b) picks target block m of image b.
    /// </summary>
    public static double[] Gather(double[] x, int sources, int dim, long[] index, int k)
    {
        int n = x.Length / (sources * dim), rows = index.Length / k;
        var y = new double[rows * k * dim];
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < k; j++)
                Array.Copy(x, ((r % sources) * n + (int)index[r * k + j]) * dim, y, (r * k + j) * dim, dim);
        return y;
    }

    /// <summary>The backward of <see cref="Gather"/>: dy [R, K, D] -> dx [S, N, D], duplicates accumulate.</summary>
    public static double[] ScatterAdd(double[] dy, int sources, int n, int dim, long[] index, int k)
    {
        int rows = index.Length / k;
        var dx = new double[sources * n * dim];
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < k; j++)
            {
                int to = ((r % sources) * n + (int)index[r * k + j]) * dim, from = (r * k + j) * dim;
                for (int c = 0; c < dim; c++) dx[to + c] += dy[from + c];
            }
        return dx;
    }
}
