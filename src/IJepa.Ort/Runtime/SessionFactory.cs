// Opens the sessions over graph files with one device's options, thread count and profiling.
using Microsoft.ML.OnnxRuntime;

namespace IJepa.Ort.Runtime;

/// <summary>Session options for <see cref="Device"/> with <see cref="Threads"/> intra-op threads (0: ORT's default), and sessions made with them.</summary>
public sealed record SessionFactory(ExecutionDevice Device, int Threads)
{
    /// <summary>Write ONNX Runtime's per-op profile with this path prefix (null: none).</summary>
    public string? ProfilePrefix { get; init; }

    /// <summary>Fresh options (the caller disposes them); throws plainly when the device is missing.</summary>
    public SessionOptions CreateOptions()
    {
        var options = Device.CreateOptions(Threads);
        if (ProfilePrefix is not null) { options.ProfileOutputPathPrefix = ProfilePrefix; options.EnableProfiling = true; }
        return options;
    }

    /// <summary>A session over the graph file <paramref name="modelPath"/>; the caller owns it.</summary>
    public InferenceSession Open(string modelPath)
    {
        using var options = CreateOptions();
        return new InferenceSession(modelPath, options);
    }
}
