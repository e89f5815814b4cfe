// Where a token sequence splits into a head that is only read and a tail whose outputs are kept (the predictor's
// context tokens and mask tokens).
using IJepa.GraphBuilder.Core;

namespace IJepa.GraphBuilder.Modules;

/// <summary>Token counts [head, tail] as a runtime tensor (the context length varies per step) and as static dims.</summary>
public sealed record TokenSplit(Value Sizes, Dim[] StaticSizes)
{
    /// <summary>The tail tokens of <paramref name="x"/> along <paramref name="axis"/>.</summary>
    public Value Tail(Graph g, Value x, int axis) => g.Split(x, axis, Sizes, StaticSizes)[1];
}
