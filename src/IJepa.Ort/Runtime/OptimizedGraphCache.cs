// ONNX Runtime's optimised form of a graph file, cached in ort-cache/ next to it: graph optimisation of train_step.onnx
// (~9,000 nodes) is most of a session's creation, so the first session saves what ORT made of the graph and later ones
// load that with optimisation off. CPU only: on CUDA the saved graph would carry the first session's device placement
// (memcpy nodes), so CUDA sessions always optimise afresh.
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.ML.OnnxRuntime;
using Arm = System.Runtime.Intrinsics.Arm;
using X86 = System.Runtime.Intrinsics.X86;

namespace IJepa.Ort.Runtime;

/// <summary>
/// An entry is <c>ort-cache/&lt;graph&gt;.&lt;key&gt;.onnx</c> with its SHA-256 in a <c>.sha256</c> file beside it. The key
/// hashes the graph file's bytes, the ORT version, the device, the thread count, the optimisation level and the CPU's vector
/// instruction sets, so a changed graph or setting never meets a stale entry; an entry whose bytes do not match its hash, or
/// that ORT cannot load, is rebuilt with a warning. A cache that cannot be written (read-only graphs) only costs the optimisation, never the session.
/// </summary>
public sealed class OptimizedGraphCache(SessionFactory factory)
{
    public const string Folder = "ort-cache";

    /// <summary>The cache entry of <paramref name="modelPath"/> under the factory's settings.</summary>
    public string EntryPath(string modelPath) => EntryPath(modelPath, File.ReadAllBytes(modelPath));

    /// <summary>A session over <paramref name="modelPath"/>, from its cache entry when there is a sound one.</summary>
    public InferenceSession Open(string modelPath)
    {
        string entry = EntryPath(modelPath, File.ReadAllBytes(modelPath));
        return File.Exists(entry) && TryLoad(entry) is { } cached ? cached : Save(modelPath, entry);
    }

    private string EntryPath(string modelPath, byte[] model)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(model);
        using (var options = factory.CreateOptions())
        {
            string settings = $"ort {OrtEnv.Instance().GetVersionString()}; device {factory.Device}; threads {factory.Threads}; " +
                $"level {options.GraphOptimizationLevel}; isa {InstructionSets()}";
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(settings));
        }
        string key = Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
        string dir = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(modelPath))!, Folder);
        return Path.Combine(dir, $"{Path.GetFileNameWithoutExtension(modelPath)}.{key}.onnx");
    }

    /// <summary>
    /// The vector instruction sets of this CPU: at level ORT_ENABLE_ALL the saved graph may hold layouts for this machine's
    /// kernels (NCHWc blocks sized for AVX2 or AVX-512), so a graph folder copied to another machine must miss its entries.
    /// </summary>
    private static string InstructionSets() => string.Join(",", new (string Name, bool Supported)[]
    {
        ("avx2", X86.Avx2.IsSupported), ("fma", X86.Fma.IsSupported), ("avx512f", X86.Avx512F.IsSupported),
        ("avx512bw", X86.Avx512BW.IsSupported), ("avxvnni", X86.AvxVnni.IsSupported), ("neon", Arm.AdvSimd.IsSupported),
    }.Where(s => s.Supported).Select(s => s.Name).Prepend(RuntimeInformation.ProcessArchitecture.ToString()));

    private InferenceSession? TryLoad(string entry)
    {
        try
        {
            byte[] bytes = File.ReadAllBytes(entry);
            string expected = File.Exists(entry + ".sha256") ? File.ReadAllText(entry + ".sha256").Trim() : "";
            if (Convert.ToHexStringLower(SHA256.HashData(bytes)) != expected)
            {
                factory.Log.WriteLine($"warning: {entry}: does not match its checksum; optimising the graph again");
                return null;
            }
            using var options = factory.CreateOptions();
            // The entry is already optimised at the level the key names; optimising it again would only cost time.
            options.GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL;
            return new InferenceSession(bytes, options);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or OnnxRuntimeException)
        {
            factory.Log.WriteLine($"warning: {entry}: cannot be loaded ({ex.Message.Split('\n')[0]}); optimising the graph again");
            return null;
        }
    }

    private InferenceSession Save(string modelPath, string entry)
    {
        string temp = $"{entry}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        bool saving = CanWrite(temp);
        using var options = factory.CreateOptions();
        if (saving) options.OptimizedModelFilePath = temp;
        try
        {
            var session = new InferenceSession(modelPath, options);
            if (saving) Publish(temp, entry);
            return session;
        }
        finally
        {
            if (saving && File.Exists(temp)) File.Delete(temp);
        }
    }

    private void Publish(string temp, string entry)
    {
        try
        {
            // Concurrent ranks each write their own temporary file and rename it into place; the last one wins whole.
            string hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(temp)));
            File.Move(temp, entry, overwrite: true);
            File.WriteAllText(entry + ".sha256", hash + "\n");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            factory.Log.WriteLine($"warning: {entry}: cannot be written ({ex.Message}); the optimised graph is not cached");
        }
    }

    /// <summary>Creates the (empty) file ORT will write the optimised graph to; false, with a warning, where it cannot.</summary>
    private bool CanWrite(string temp)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(temp)!);
            File.Create(temp).Dispose();
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            factory.Log.WriteLine($"warning: {temp}: cannot be written ({ex.Message}); the optimised graph is not cached");
            return false;
        }
    }
}
