// Test support: the repository root (models/, data/), found above the test binary's folder.
namespace IJepa.Cli.Tests;

public static class RepoPaths
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "IJepa.Ort.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("repository root (IJepa.Ort.sln) not found above the test folder");
    }
}
