// Locates the repository's models/ folder from the test output directory.
namespace IJepa.Ort.Tests.Config;

internal static class Presets
{
    public static string ModelsDir { get; } = Find();

    public static string PathOf(string name) => Path.Combine(ModelsDir, name);

    public static IEnumerable<string> All() => Directory.EnumerateFiles(ModelsDir, "*.yaml").Order(StringComparer.Ordinal).Select(Path.GetFileName)!;

    public static readonly string[] Official =
        ["in1k_vith14_ep300.yaml", "in1k_vith16-448_ep300.yaml", "in22k_vith14_ep66.yaml", "in22k_vitg16_ep44.yaml"];

    private static string Find()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "IJepa.Ort.sln")))
                return Path.Combine(dir.FullName, "models");
        throw new DirectoryNotFoundException("no IJepa.Ort.sln above the test directory");
    }
}
