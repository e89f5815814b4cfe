// The precisions `export --precision` writes: what is stored, what is computed, and how each is spelled on the command line.
using IJepa.Ort.Errors;

namespace IJepa.Ort.Export;

public enum ExportPrecision
{
    /// <summary>float32 weights and compute (the training graph's own numbers).</summary>
    Fp32,
    /// <summary>float16 weights (half the file), cast to float32 once when the runtime loads the model; float32 compute.</summary>
    Fp16,
    /// <summary>int8 weights of every linear layer, one scale per output channel (symmetric); see <see cref="Int8Scheme"/>.</summary>
    Int8,
}

/// <summary>How an int8 model computes its linear layers.</summary>
public enum Int8Scheme
{
    /// <summary>Activations quantized per call (DynamicQuantizeLinear, uint8) and multiplied in integers (MatMulInteger).</summary>
    Dynamic,
    /// <summary>Weight-only QDQ: DequantizeLinear(int8 weight, per-channel scale) feeds the float Gemm.</summary>
    Qdq,
}

public static class ExportPrecisions
{
    public static string Name(this ExportPrecision p) => p.ToString().ToLowerInvariant();

    public static ExportPrecision Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "fp32" or "float32" => ExportPrecision.Fp32,
        "fp16" or "float16" => ExportPrecision.Fp16,
        "int8" => ExportPrecision.Int8,
        _ => throw new ConfigException($"--precision: '{text}' is not fp32, fp16 or int8"),
    };

    public static Int8Scheme ParseScheme(string text) => text.Trim().ToLowerInvariant() switch
    {
        "dynamic" or "matmulinteger" => Int8Scheme.Dynamic,
        "qdq" => Int8Scheme.Qdq,
        _ => throw new ConfigException($"--int8: '{text}' is not dynamic or qdq"),
    };
}
