// Which source a key's value came from: the config file, or a command-line override.
using IJepa.Ort.Errors;

namespace IJepa.Ort.Config;

internal static class ConfigOrigin
{
    /// <summary>The "file" that errors about an overridden key name.</summary>
    public const string CommandLine = "command line";

    /// <summary>The command line when <paramref name="key"/> is, lies under or contains an overridden key; else <paramref name="file"/>.</summary>
    public static string FileFor(string file, IReadOnlyList<string> overrides, string key)
    {
        foreach (var o in overrides)
            if (key == o || key.StartsWith(o + ".", StringComparison.Ordinal) || o.StartsWith(key + ".", StringComparison.Ordinal))
                return CommandLine;
        return file;
    }

    public static ConfigException Error(string file, IReadOnlyList<string> overrides, string key, string problem)
        => ConfigException.At(FileFor(file, overrides, key), key, problem);
}
