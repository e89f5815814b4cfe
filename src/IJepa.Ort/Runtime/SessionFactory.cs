// Opens the sessions over graph files: the device's options, threads, profiling, and ORT's optimised graph cached on disk.
using Microsoft.ML.OnnxRuntime;

namespace IJepa.Ort.Runtime;

/// <summary>
/// Session options for <see cref="Device"/> with <see cref="Threads"/> intra-op threads (0: ORT's default), and the
/// sessions over graph files made with them. On the CPU a graph's optimised form is cached (<see cref="OptimizedGraphCache"/>).
/// </summary>
public sealed record SessionFactory(ExecutionDevice Device, int Threads)
{
    /// <summary>Write ONNX Runtime's per-op profile with this path prefix (null: none).</summary>
    public string? ProfilePrefix { get; init; }

    /// <summary>Reuse ORT's optimised graphs saved next to the graph files (CPU only; see <see cref="OptimizedGraphCache"/>).</summary>
    public bool CacheOptimized { get; init; } = true;

    /// <summary>Where a cache that cannot be read or written says so; training goes on without it.</summary>
    public TextWriter Log { get; init; } = Console.Error;

    /// <summary>Fresh options (the caller disposes them); throws plainly when the device is missing.</summary>
    public SessionOptions CreateOptions()
    {
        var options = Device.CreateOptions(Threads);
        if (ProfilePrefix is not null) { options.ProfileOutputPathPrefix = ProfilePrefix; options.EnableProfiling = true; }
        return options;
    }

    /// <summary>A session over the graph file <paramref name="modelPath"/>; the caller owns it.</summary>
    public InferenceSession Open(string modelPath) => CacheOptimized && !Device.IsCuda
        ? new OptimizedGraphCache(this).Open(modelPath)
        : OpenUncached(modelPath);

    internal InferenceSession OpenUncached(string modelPath)
    {
        using var options = CreateOptions();
        return new InferenceSession(modelPath, options);
    }
}
