// Errors a user can act on: one line naming the file, key or value at fault, and the CLI exit code.
namespace IJepa.Ort.Errors;

/// <summary>A failure the CLI reports as one line (no stack trace unless --verbose).</summary>
public class IJepaException(string message, int exitCode = 1, Exception? inner = null)
    : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>Bad usage or configuration: exit code 2. The message names the file and the key.</summary>
public sealed class ConfigException(string message, Exception? inner = null) : IJepaException(message, 2, inner)
{
    public static ConfigException At(string file, string key, string problem) => new($"{file}: {key}: {problem}");
}

/// <summary>Bad or missing data: exit code 3. The message names the path.</summary>
public sealed class DataException(string message, Exception? inner = null) : IJepaException(message, 3, inner)
{
    public static DataException At(string path, string problem) => new($"{path}: {problem}");
}
