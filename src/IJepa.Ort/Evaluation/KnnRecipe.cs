// The kNN search as a graph: cosine similarities of a block of queries to the whole bank, and the k best of each.
using IJepa.GraphBuilder.Core;
using N = IJepa.GraphBuilder.Recipes.ArtifactNames;

namespace IJepa.Ort.Evaluation;

public static class KnnRecipe
{
    public const string Queries = "queries";           // [Q, D], rows of unit length
    public const string Bank = "bank";                 // [M, D], rows of unit length
    public const string Similarity = "similarity";     // [Q, k], best first
    public const string Neighbour = "neighbour";       // int64 [Q, k], bank rows

    /// <summary>queries [Q, D], bank [M, D] (both L2-normalised) → the <paramref name="k"/> largest q·bᵀ per query, sorted.</summary>
    public static Graph Build(int dim, int k)
    {
        var g = new Graph("knn");
        var queries = g.Input(Queries, DType.Float, Dim.Sym("Q"), dim);
        var bank = g.Input(Bank, DType.Float, Dim.Sym("M"), dim);
        var cosine = g.Gemm(queries, bank, transB: true);                                              // [Q, M]
        var top = g.Emit("TopK", [cosine, g.Ints(k)], [Attr.Int("axis", 1), Attr.Int("largest", 1), Attr.Int("sorted", 1)],
            (DType.Float, [queries.Shape[0], k]), (DType.Int64, [queries.Shape[0], k]));
        g.Output(top.Outputs[0], Similarity);
        g.Output(top.Outputs[1], Neighbour);
        return g;
    }
}
