// Test support: runs examples/embed.mjs (onnxruntime-node or onnxruntime-web's WASM backend) and reads its JSON lines.
using System.Diagnostics;
using System.Text.Json;
using IJepa.Ort.Tests.Support;

namespace IJepa.Ort.Tests.Export;

internal static class NodeExample
{
    public static string Folder => Path.Combine(RepoPaths.Root, "examples");

    /// <summary>Ignores the test where `npm ci` has not run in examples/ (outside CI); in CI a missing install fails it.</summary>
    public static void RequireInstalled()
    {
        if (Directory.Exists(Path.Combine(Folder, "node_modules", "onnxruntime-node"))) return;
        const string how = "examples/node_modules is missing: run `npm ci --prefix examples` (.ci/run does)";
        if (Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail(how);
        Assert.Ignore(how);
    }

    /// <summary>The embedding the example prints for each image, by file path.</summary>
    public static Dictionary<string, float[]> Embed(string model, IEnumerable<string> images, string backend)
    {
        var start = new ProcessStartInfo("node") { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "embed.mjs", model }.Concat(images).Concat(["--backend", backend])) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var lines = process.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, () => $"node embed.mjs failed: {stderr.Result}");
        return lines.Select(l => JsonDocument.Parse(l).RootElement).ToDictionary(
            e => e.GetProperty("file").GetString()!,
            e => e.GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()).ToArray());
    }
}
