// The safetensors element types this project reads and writes, with their names in the JSON header.
namespace IJepa.Ort.Checkpoints;

/// <summary>A safetensors dtype: data is raw little-endian, row-major.</summary>
public enum SafeTensorDType
{
    /// <summary>"U8": unsigned byte.</summary>
    U8,
    /// <summary>"I64": signed 64-bit integer (mask indices).</summary>
    I64,
    /// <summary>"F32": IEEE single (parameters, optimizer state, images).</summary>
    F32,
    /// <summary>"F64": IEEE double (gradient checks).</summary>
    F64,
}

public static class SafeTensorDTypes
{
    /// <summary>The names a header may use, for error messages.</summary>
    public const string Supported = "F32, F64, I64, U8";

    public static int ElementSize(this SafeTensorDType dtype) => dtype switch
    {
        SafeTensorDType.U8 => 1,
        SafeTensorDType.I64 or SafeTensorDType.F64 => 8,
        SafeTensorDType.F32 => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    /// <summary>The header name ("F32"); the enum member names are the format's names.</summary>
    public static string HeaderName(this SafeTensorDType dtype) => dtype.ToString();

    public static bool TryParse(string name, out SafeTensorDType dtype)
    {
        dtype = name switch
        {
            "U8" => SafeTensorDType.U8,
            "I64" => SafeTensorDType.I64,
            "F32" => SafeTensorDType.F32,
            "F64" => SafeTensorDType.F64,
            _ => (SafeTensorDType)(-1),
        };
        return dtype >= 0;
    }

    /// <summary>The dtype stored for elements of type <typeparamref name="T"/>.</summary>
    internal static SafeTensorDType Of<T>() where T : unmanaged =>
        typeof(T) == typeof(float) ? SafeTensorDType.F32
        : typeof(T) == typeof(double) ? SafeTensorDType.F64
        : typeof(T) == typeof(long) ? SafeTensorDType.I64
        : typeof(T) == typeof(byte) ? SafeTensorDType.U8
        : throw new NotSupportedException($"no safetensors dtype for {typeof(T).Name}");
}
