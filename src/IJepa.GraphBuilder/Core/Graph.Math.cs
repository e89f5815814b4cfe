// Element-wise operators (numpy broadcasting).
namespace IJepa.GraphBuilder.Core;

public sealed partial class Graph
{
    public Value Add(Value a, Value b) => Binary("Add", a, b);
    public Value Sub(Value a, Value b) => Binary("Sub", a, b);
    public Value Mul(Value a, Value b) => Binary("Mul", a, b);
    public Value Div(Value a, Value b) => Binary("Div", a, b);
    public Value Pow(Value a, Value b) => Binary("Pow", a, b);
    public Value Less(Value a, Value b) => Compare("Less", a, b);
    public Value Greater(Value a, Value b) => Compare("Greater", a, b);

    public Value Add(Value a, double b) => Add(a, ScalarLike(a, b));
    public Value Sub(Value a, double b) => Sub(a, ScalarLike(a, b));
    public Value Mul(Value a, double b) => Mul(a, ScalarLike(a, b));
    public Value Div(Value a, double b) => Div(a, ScalarLike(a, b));

    public Value Neg(Value x) => Unary("Neg", x);
    public Value Abs(Value x) => Unary("Abs", x);
    public Value Sqrt(Value x) => Unary("Sqrt", x);
    public Value Exp(Value x) => Unary("Exp", x);
    public Value Log(Value x) => Unary("Log", x);
    public Value Tanh(Value x) => Unary("Tanh", x);
    public Value Erf(Value x) => Unary("Erf", x);
    public Value Sign(Value x) => Unary("Sign", x);
    public Value Reciprocal(Value x) => Unary("Reciprocal", x);
    public Value Relu(Value x) => Unary("Relu", x);
    public Value Identity(Value x) => Unary("Identity", x);

    /// <summary>GELU-20; <paramref name="approximate"/> "none" (exact erf) or "tanh".</summary>
    public Value Gelu(Value x, string approximate = "none") =>
        Emit1("Gelu", [x], [Attr.String("approximate", approximate)], x.Type, x.Shape);

    public Value Where(Value condition, Value a, Value b)
    {
        RequireSameType(a, b);
        return Emit1("Where", [condition, a, b], [], a.Type, Shape.Broadcast(condition.Shape, Shape.Broadcast(a.Shape, b.Shape)));
    }

    public Value Cast(Value x, DType to) => x.Type == to ? x : Emit1("Cast", [x], [Attr.Int("to", (long)to)], to, x.Shape);

    private Value Unary(string op, Value x) => Emit1(op, [x], [], x.Type, x.Shape);

    private Value Binary(string op, Value a, Value b)
    {
        RequireSameType(a, b);
        return Emit1(op, [a, b], [], a.Type, Shape.Broadcast(a.Shape, b.Shape));
    }

    private Value Compare(string op, Value a, Value b)
    {
        RequireSameType(a, b);
        return Emit1(op, [a, b], [], DType.Bool, Shape.Broadcast(a.Shape, b.Shape));
    }

    private static void RequireSameType(Value a, Value b)
    {
        if (a.Type != b.Type) throw new InvalidOperationException($"type mismatch: {a} and {b}");
    }
}
