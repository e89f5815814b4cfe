// torchvision's ImageFolder layout: root/<class>/**/<image>, classes in sorted (ordinal) folder order,
// files sorted by directory then name. Images are decoded on demand; an unreadable one is skipped,
// warned about once and counted, never a crash.
using System.Collections.Concurrent;
using IJepa.Ort.Errors;

namespace IJepa.Ort.Data;

public sealed class ImageFolderDataset : IImageDataset
{
    private readonly string[] _files;
    private readonly int[] _labels;
    private readonly TextWriter _log;
    private readonly ConcurrentDictionary<int, byte> _unreadable = new();
    private int _skippedAtOpen;

    /// <param name="root">The folder holding one sub-folder per class.</param>
    /// <param name="channels">3 for RGB (torchvision's default loader), 1 for grey.</param>
    /// <param name="log">Where warnings about unreadable images go.</param>
    /// <param name="verify">Decode every image now and leave out the unreadable ones (slow for large sets).</param>
    public ImageFolderDataset(string root, int channels = 3, TextWriter? log = null, bool verify = false)
    {
        if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), channels, "must be 1 or 3");
        if (!Directory.Exists(root)) throw DataException.At(root, "image folder not found");
        _log = log ?? TextWriter.Null;
        Channels = channels;
        Source = root;

        var classDirs = Directory.GetDirectories(root).Where(d => !Path.GetFileName(d).StartsWith('.')).ToArray();
        Array.Sort(classDirs, StringComparer.Ordinal);
        if (classDirs.Length == 0) throw DataException.At(root, "no class folders (expected one sub-folder per class)");
        ClassNames = classDirs.Select(d => Path.GetFileName(d)!).ToArray();

        var files = new List<string>();
        var labels = new List<int>();
        for (int c = 0; c < classDirs.Length; c++)
        {
            var found = Directory.EnumerateFiles(classDirs[c], "*", SearchOption.AllDirectories)
                .Where(f => ImageDecoder.Extensions.Contains(Path.GetExtension(f)))
                .Select(f => (Dir: Path.GetDirectoryName(f)!, File: f))
                .OrderBy(f => f.Dir, StringComparer.Ordinal).ThenBy(f => f.File, StringComparer.Ordinal);
            foreach (var (_, file) in found)
            {
                files.Add(file);
                labels.Add(c);
            }
        }
        if (files.Count == 0)
            throw DataException.At(root, $"no images ({string.Join(", ", ImageDecoder.Extensions.Order())}) in {classDirs.Length} class folders");

        if (verify) Verify(files, labels);
        if (files.Count == 0) throw DataException.At(root, $"none of the {_skippedAtOpen} images could be decoded");
        _files = files.ToArray();
        _labels = labels.ToArray();
    }

    public int Count => _files.Length;
    public int Channels { get; }
    public int NumClasses => ClassNames.Count;
    public IReadOnlyList<string> ClassNames { get; }
    public string Source { get; }
    public int SkippedCount => _skippedAtOpen + _unreadable.Count;

    /// <summary>The file behind image <paramref name="index"/>.</summary>
    public string FilePath(int index) => _files[index];

    public int Label(int index) => _labels[index];

    public bool TryLoad(int index, ImageBuffer into)
    {
        if (_unreadable.ContainsKey(index)) return false;
        string? problem;
        try
        {
            problem = ImageDecoder.TryDecode(_files[index], into, Channels);
        }
        catch (IOException e) { problem = e.Message; }
        catch (UnauthorizedAccessException e) { problem = e.Message; }
        if (problem is null) return true;
        if (_unreadable.TryAdd(index, 0)) Warn(_files[index], problem);
        return false;
    }

    private void Verify(List<string> files, List<int> labels)
    {
        var buffer = new ImageBuffer();
        int kept = 0;
        for (int i = 0; i < files.Count; i++)
        {
            string? problem = ImageDecoder.TryDecode(files[i], buffer, Channels);
            if (problem is not null)
            {
                Warn(files[i], problem);
                _skippedAtOpen++;
                continue;
            }
            files[kept] = files[i];
            labels[kept++] = labels[i];
        }
        files.RemoveRange(kept, files.Count - kept);
        labels.RemoveRange(kept, labels.Count - kept);
    }

    private void Warn(string file, string problem)
    {
        lock (_log) _log.WriteLine($"warning: {file}: {problem}; image skipped");
    }
}
