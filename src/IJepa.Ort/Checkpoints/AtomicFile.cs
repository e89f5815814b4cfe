// Replace a file so that readers see either the old version or the complete new one, never a mix:
// write "<path>.tmp", flush it to disk, then rename it over the target (rename is atomic on POSIX and NTFS).
using IJepa.Ort.Errors;

namespace IJepa.Ort.Checkpoints;

internal static class AtomicFile
{
    public const string TempSuffix = ".tmp";

    public static string TempPath(string path) => path + TempSuffix;

    /// <summary>Runs <paramref name="write"/> on a fresh temporary file, then moves it over <paramref name="path"/>.
    /// On any failure the temporary file is removed and <paramref name="path"/> is untouched; I/O failures
    /// become an <see cref="IJepaException"/> naming the file.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        string temp = TempPath(path);
        try
        {
            string name = Path.GetFileName(path);
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 20))
            {
                write(stream);
                KillPoint.Reach("mid-write:" + name);      // what the buffer has not flushed yet is lost
                stream.Flush(flushToDisk: true);
            }
            KillPoint.Reach("before-rename:" + name);
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            DeleteLeftover(temp);
            throw new IJepaException($"{path}: cannot write: {OsError.Describe(e)}", inner: e);
        }
        catch
        {
            DeleteLeftover(temp);
            throw;
        }
    }

    /// <summary>Replaces <paramref name="path"/> with <paramref name="text"/> (UTF-8, no byte-order mark) atomically.</summary>
    public static void WriteAllText(string path, string text) => Write(path, stream => stream.Write(new System.Text.UTF8Encoding(false).GetBytes(text)));

    /// <summary>Copies <paramref name="source"/> over <paramref name="path"/> atomically, bytes unchanged.</summary>
    public static void Copy(string source, string path) => Write(path, output =>
    {
        using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 20);
        input.CopyTo(output, 1 << 20);
    });

    static void DeleteLeftover(string temp)
    {
        // The failure being reported matters more than a leftover .tmp, which the next save overwrites.
        try { File.Delete(temp); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
