// The momentum update of the target encoder (ijepa train.py step 3) as a graph, for weights that live on a GPU.
using IJepa.GraphBuilder.Core;
using N = IJepa.GraphBuilder.Recipes.ArtifactNames;

namespace IJepa.GraphBuilder.Recipes;

public static class EmaRecipe
{
    /// <summary>target, online [P]; momentum scalar → target_out = m·target + (1 − m)·online.</summary>
    public static Graph Build(DType type)
    {
        var g = new Graph("ema");
        Dim p = Dim.Sym(N.FlatLength);
        var target = g.Input(N.Target, type, p);
        var online = g.Input(N.Online, type, p);
        var momentum = g.Input(N.Momentum, type);
        var blended = g.Add(g.Mul(target, momentum), g.Mul(online, g.Sub(g.ScalarLike(momentum, 1.0), momentum)));
        g.Output(blended, N.Updated(N.Target));
        return g;
    }
}
