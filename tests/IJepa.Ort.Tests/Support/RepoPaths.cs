// Test support: the repository root (where models/ and graphs/ live), found from the test binary's folder.
namespace IJepa.Ort.Tests.Support;

public static class RepoPaths
{
    public static string Root { get; } = Find();

    public static string Models => Path.Combine(Root, "models");
    public static string Graphs => Path.Combine(Root, "graphs");

    public static IEnumerable<string> Presets() => Directory.GetFiles(Models, "*.yaml").Order(StringComparer.Ordinal);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "IJepa.Ort.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("repository root (IJepa.Ort.sln) not found above the test folder");
    }
}
