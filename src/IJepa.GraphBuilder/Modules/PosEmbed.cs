// The fixed 2-D sin-cos position table (MAE get_2d_sincos_pos_embed, no cls token), as upstream ijepa uses it.
namespace IJepa.GraphBuilder.Modules;

public static class PosEmbed
{
    /// <summary>
    /// [gridSize², dim] row-major: channels [0, dim/2) encode the column (w) index, [dim/2, dim) the row (h) index;
    /// each half is [sin | cos] of pos·ω_i with ω_i = 1 / 10000^(i / (dim/4)). Computed in double as upstream (numpy).
    /// </summary>
    public static double[] SinCos2D(int dim, int gridSize)
    {
        if (dim % 4 != 0) throw new ArgumentException($"position embedding width {dim} must be a multiple of 4");
        int quarter = dim / 4, n = gridSize * gridSize;
        var table = new double[n * dim];
        for (int h = 0; h < gridSize; h++)
            for (int w = 0; w < gridSize; w++)
            {
                int row = (h * gridSize + w) * dim;
                for (int i = 0; i < quarter; i++)
                {
                    double omega = 1.0 / Math.Pow(10000, i / (double)quarter);
                    table[row + i] = Math.Sin(w * omega);
                    table[row + quarter + i] = Math.Cos(w * omega);
                    table[row + 2 * quarter + i] = Math.Sin(h * omega);
                    table[row + 3 * quarter + i] = Math.Cos(h * omega);
                }
            }
        return table;
    }
}
