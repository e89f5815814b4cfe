// The folders of src/IJepa.Ort depend on each other one way only (Training → Evaluation → Export → Runtime, …):
// a `using IJepa.Ort.X` or a qualified name that closes a cycle fails here, naming it.
using System.Text.RegularExpressions;

namespace IJepa.Ort.Tests.Support;

public partial class LayeringTests
{
    [Test]
    public void Folders_OfIJepaOrt_FormNoCycle()
    {
        var src = Path.Combine(RepoPaths.Root, "src", "IJepa.Ort");
        var folders = Directory.GetDirectories(src).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj")).ToHashSet();
        var deps = folders.ToDictionary(f => f!, _ => new HashSet<string>());
        foreach (var folder in folders)
            foreach (var file in Directory.EnumerateFiles(Path.Combine(src, folder!), "*.cs", SearchOption.AllDirectories))
                foreach (Match m in Reference().Matches(File.ReadAllText(file)))
                    if (m.Groups[1].Value != folder && folders.Contains(m.Groups[1].Value)) deps[folder!].Add(m.Groups[1].Value);

        var cycles = new List<string>();
        void Visit(string node, List<string> path)
        {
            foreach (var next in deps[node].Order())
            {
                int at = path.IndexOf(next);
                if (at >= 0) cycles.Add(string.Join(" → ", path[at..].Append(next)));
                else Visit(next, [.. path, next]);
            }
        }
        foreach (var folder in deps.Keys.Order()) Visit(folder, [folder]);
        Assert.That(cycles.Distinct(), Is.Empty);
    }

    [GeneratedRegex(@"IJepa\.Ort\.(\w+)")]
    private static partial Regex Reference();
}
