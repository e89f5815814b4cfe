// Failures of the operating system (missing or read-only folders, a full disk, permissions) as one plain line
// naming the path: what a user can act on, without .NET's exception type names.
using System.Text.RegularExpressions;

namespace IJepa.Ort.Errors;

public static partial class OsError
{
    // errno values (Linux) that .NET reports as a plain IOException with HResult = errno.
    const int NoSpace = 28, ReadOnlyFileSystem = 30, Exists = 17, NotADirectory = 20, IsADirectory = 21, QuotaExceeded = 122;

    /// <summary>Whether <paramref name="e"/> is an operating-system failure this class describes.</summary>
    public static bool Is(Exception e) => e is IOException or UnauthorizedAccessException;

    /// <summary>The one-line error for an OS failure; <paramref name="path"/> when the caller knows it better than the message.</summary>
    public static IJepaException From(Exception e, string? path = null) =>
        new($"{path ?? PathIn(e) ?? "file system"}: {Describe(e)}", inner: e);

    /// <summary>What went wrong, in words, without the path.</summary>
    public static string Describe(Exception e) => e switch
    {
        UnauthorizedAccessException => "permission denied or read-only file system",
        DirectoryNotFoundException => "a folder on this path does not exist (or is a file)",
        FileNotFoundException => "does not exist and cannot be created here",
        PathTooLongException => "path too long",
        IOException { HResult: NoSpace or QuotaExceeded } => "no space left on the device",
        IOException { HResult: ReadOnlyFileSystem } => "read-only file system",
        IOException { HResult: Exists } => "already exists as a file where a folder is needed",
        IOException { HResult: NotADirectory } => "a part of this path is a file, not a folder",
        IOException { HResult: IsADirectory } => "is a folder, not a file",
        _ => Plain(e.Message),
    };

    /// <summary>The path .NET quotes in its message ('…'), if any.</summary>
    static string? PathIn(Exception e) =>
        e is FileNotFoundException { FileName: { Length: > 0 } name } ? name : Quoted().Match(e.Message) is { Success: true } m ? m.Groups[1].Value : null;

    /// <summary>The message's first line without the quoted path and the trailing punctuation .NET adds.</summary>
    static string Plain(string message)
    {
        string line = Quoted().Replace(message.Split('\n')[0], "").Replace(" : ", " ").Trim().TrimEnd('.', ':', ' ');
        return line.Length > 0 ? char.ToLowerInvariant(line[0]) + line[1..] : "input/output error";
    }

    [GeneratedRegex("'([^']+)'")]
    private static partial Regex Quoted();
}
