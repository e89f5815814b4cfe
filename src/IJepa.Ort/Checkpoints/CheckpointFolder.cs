// The checkpoints/ folder of a run: "latest.safetensors", rewritten at every save, and "ep<N>.safetensors"
// kept for chosen epochs (upstream keeps "<tag>-latest.pth.tar" and "<tag>-ep<N>.pth.tar" the same way).
using System.Globalization;
using IJepa.Ort.Errors;

namespace IJepa.Ort.Checkpoints;

public static class CheckpointFolder
{
    public const string FolderName = "checkpoints";
    public const string LatestFileName = "latest.safetensors";
    const string NumberedPrefix = "ep", Extension = ".safetensors";

    public static string FolderOf(string runDir) => Path.Combine(runDir, FolderName);
    public static string NumberedFileName(int epoch) => $"{NumberedPrefix}{epoch.ToString(CultureInfo.InvariantCulture)}{Extension}";

    /// <summary>Atomically replaces runs/NAME/checkpoints/latest.safetensors; returns its path.</summary>
    public static string SaveLatest(string runDir, CheckpointMeta meta, IEnumerable<NamedTensor> tensors) =>
        SaveAs(runDir, LatestFileName, meta, tensors);

    /// <summary>Atomically writes runs/NAME/checkpoints/ep&lt;epoch&gt;.safetensors; returns its path.</summary>
    public static string SaveNumbered(string runDir, int epoch, CheckpointMeta meta, IEnumerable<NamedTensor> tensors) =>
        SaveAs(runDir, NumberedFileName(epoch), meta, tensors);

    /// <summary>Keeps the current latest.safetensors as ep&lt;epoch&gt;.safetensors (an atomic byte copy, no
    /// re-serialization); returns the new file's path.</summary>
    public static string CopyLatestToNumbered(string runDir, int epoch)
    {
        string latest = Path.Combine(FolderOf(runDir), LatestFileName);
        if (!File.Exists(latest)) throw DataException.At(latest, "no such checkpoint to copy");
        string numbered = Path.Combine(FolderOf(runDir), NumberedFileName(epoch));
        AtomicFile.Copy(latest, numbered);
        return numbered;
    }

    /// <summary>Re-creates ep&lt;epoch&gt;.safetensors from latest.safetensors when a kill during its copy lost it (call only
    /// when latest is the checkpoint of that epoch's end); returns its path when it was re-created, else null.</summary>
    public static string? RestoreNumbered(string runDir, int epoch)
    {
        string numbered = Path.Combine(FolderOf(runDir), NumberedFileName(epoch));
        if (File.Exists(numbered)) return null;
        CopyLatestToNumbered(runDir, epoch);
        return numbered;
    }

    /// <summary>Deletes the ".tmp" files a killed save left in checkpoints/ (no checkpoint is ever read from one); returns their names.</summary>
    public static IReadOnlyList<string> RemoveLeftovers(string runDir)
    {
        string folder = FolderOf(runDir);
        if (!Directory.Exists(folder)) return [];
        var removed = new List<string>();
        foreach (var temp in Directory.EnumerateFiles(folder, "*" + Extension + AtomicFile.TempSuffix).ToList())
        {
            File.Delete(temp);
            removed.Add(Path.GetFileName(temp));
        }
        return removed;
    }

    /// <summary>The checkpoint to resume from: latest.safetensors when present, else the highest-numbered
    /// ep&lt;N&gt;.safetensors, else null. Leftover ".tmp" files from an interrupted save are ignored.</summary>
    public static string? FindLatest(string runDir)
    {
        string folder = FolderOf(runDir);
        if (!Directory.Exists(folder)) return null;
        string latest = Path.Combine(folder, LatestFileName);
        if (File.Exists(latest)) return latest;
        return ListNumbered(runDir).Select(e => e.Path).LastOrDefault();
    }

    /// <summary>The ep&lt;N&gt;.safetensors files of a run, by increasing N.</summary>
    public static IReadOnlyList<(int Epoch, string Path)> ListNumbered(string runDir)
    {
        string folder = FolderOf(runDir);
        if (!Directory.Exists(folder)) return [];
        return Directory.EnumerateFiles(folder, NumberedPrefix + "*" + Extension)
            .Select(p => (Name: Path.GetFileName(p), Path: p))
            .Select(f => (Ok: int.TryParse(f.Name.AsSpan(NumberedPrefix.Length, f.Name.Length - NumberedPrefix.Length - Extension.Length),
                              NumberStyles.None, CultureInfo.InvariantCulture, out int n), Epoch: n, f.Path))
            .Where(f => f.Ok)
            .OrderBy(f => f.Epoch)
            .Select(f => (f.Epoch, f.Path))
            .ToList();
    }

    /// <summary>A checkpoint file given either itself or its run folder (for --checkpoint runs/NAME).</summary>
    public static string Resolve(string runDirOrFile)
    {
        if (File.Exists(runDirOrFile)) return runDirOrFile;
        if (!Directory.Exists(runDirOrFile)) throw DataException.At(runDirOrFile, "no such checkpoint file or run folder");
        return FindLatest(runDirOrFile)
               ?? throw DataException.At(runDirOrFile, $"no checkpoint in {FolderName}/ (expected {LatestFileName} or {NumberedPrefix}<N>{Extension})");
    }

    static string SaveAs(string runDir, string fileName, CheckpointMeta meta, IEnumerable<NamedTensor> tensors)
    {
        string folder = FolderOf(runDir);
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, fileName);
        Checkpoint.Save(path, meta, tensors);
        return path;
    }
}
