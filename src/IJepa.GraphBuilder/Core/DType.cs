// Element types the builder emits, numbered as ONNX TensorProto.DataType.
namespace IJepa.GraphBuilder.Core;

public enum DType { Float = 1, Int64 = 7, Bool = 9, Double = 11 }

public static class DTypeExtensions
{
    public static bool IsFloating(this DType t) => t is DType.Float or DType.Double;

    public static int SizeInBytes(this DType t) => t switch
    {
        DType.Float => 4,
        DType.Int64 => 8,
        DType.Bool => 1,
        DType.Double => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };

    public static string SafeTensorsName(this DType t) => t switch
    {
        DType.Float => "F32",
        DType.Double => "F64",
        DType.Int64 => "I64",
        DType.Bool => "BOOL",
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };
}
