// `--device cpu|cuda:N`: session options for the chosen execution provider, with a clear error where it is missing.
using IJepa.Ort.Errors;
using Microsoft.ML.OnnxRuntime;

namespace IJepa.Ort.Runtime;

public sealed record ExecutionDevice(string Kind, int Index)
{
    public static readonly ExecutionDevice Cpu = new("cpu", 0);
    public bool IsCuda => Kind == "cuda";

    /// <summary>CUDA: let matmuls use TF32 (ORT's default, fast); off for float32 parity checks.</summary>
    public bool Tf32 { get; init; } = true;

    public static ExecutionDevice Parse(string text)
    {
        if (text == "cpu") return Cpu;
        if (text.StartsWith("cuda", StringComparison.Ordinal))
        {
            var rest = text[4..];
            if (rest.Length == 0) return new("cuda", 0);
            if (rest[0] == ':' && int.TryParse(rest[1..], out int i) && i >= 0) return new("cuda", i);
        }
        throw new ConfigException($"--device: '{text}' is not cpu or cuda:N");
    }

    /// <summary>Session options for this device; <paramref name="threads"/> 0 keeps ORT's default intra-op thread count.</summary>
    public SessionOptions CreateOptions(int threads)
    {
        var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (threads > 0) options.IntraOpNumThreads = threads;
        if (!IsCuda) return options;
        if (!OrtEnv.Instance().GetAvailableProviders().Contains("CUDAExecutionProvider"))
        {
            options.Dispose();
            throw new IJepaException($"--device {this}: this build's ONNX Runtime has no CUDA execution provider (build with -p:OrtNative=cuda)", 2);
        }
        try
        {
            using var cuda = new OrtCUDAProviderOptions();
            cuda.UpdateOptions(new Dictionary<string, string> { ["device_id"] = Index.ToString(), ["use_tf32"] = Tf32 ? "1" : "0" });
            options.AppendExecutionProvider_CUDA(cuda);
        }
        catch (Exception ex) when (ex is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
        {
            options.Dispose();
            throw new IJepaException($"--device {this}: the CUDA execution provider failed to start: {ex.Message.Split('\n')[0]}", 1, ex);
        }
        return options;
    }

    /// <summary>
    /// The device of the rank with <paramref name="localRank"/> on its machine: under mpirun, one GPU per rank,
    /// cuda:(N + local rank); the CPU stays the CPU.
    /// </summary>
    public ExecutionDevice ForLocalRank(int localRank) => IsCuda ? this with { Index = Index + localRank } : this;

    public override string ToString() => IsCuda ? $"cuda:{Index}" : "cpu";
}
