// The `ijepa-ort` launcher builds the CLI on first use and again only when a source is newer than the last build,
// run here against a fake `dotnet` that records what it was asked to do.
using System.Diagnostics;

namespace IJepa.Cli.Tests;

public class LauncherTests
{
    private string _root = "";

    [SetUp]
    public void SetUp()
    {
        _root = Directory.CreateTempSubdirectory("ijepa-launcher-").FullName;
        File.Copy(Path.Combine(RepoPaths.Root, "ijepa-ort"), Path.Combine(_root, "ijepa-ort"));
        Directory.CreateDirectory(Path.Combine(_root, "src", "IJepa.Ort"));
        File.WriteAllText(Path.Combine(_root, "src", "IJepa.Ort", "Lib.cs"), "");
        var bin = Directory.CreateDirectory(Path.Combine(_root, "fakebin")).FullName;
        // `dotnet build` writes the CLI dll only when it does not exist yet: like MSBuild when only a library changed.
        File.WriteAllText(Path.Combine(bin, "dotnet"), """
            #!/usr/bin/env bash
            if [ "$1" = build ]; then
              echo build >> "$LAUNCHER_LOG"
              dll="$(dirname "$2")/bin/Release/net10.0/ijepa-ort.dll"
              mkdir -p "$(dirname "$dll")"; [ -f "$dll" ] || touch "$dll"
            else
              echo run >> "$LAUNCHER_LOG"
            fi
            """.Replace("\r", ""));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Path.Combine(bin, "dotnet"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    private string[] Launch()
    {
        var log = Path.Combine(_root, "calls.log");
        File.Delete(log);
        var start = new ProcessStartInfo("bash", [Path.Combine(_root, "ijepa-ort"), "--help"]) { RedirectStandardError = true, RedirectStandardOutput = true };
        start.Environment["PATH"] = Path.Combine(_root, "fakebin") + ":" + Environment.GetEnvironmentVariable("PATH");
        start.Environment["LAUNCHER_LOG"] = log;
        using var p = Process.Start(start)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.That(p.ExitCode, Is.Zero, err);
        return File.ReadAllLines(log);
    }

    [Test]
    public void Launcher_RebuildsOnlyAfterASourceChanged_EvenWhenTheCliDllKeepsItsTime()
    {
        Assert.That(Launch(), Is.EqualTo(new[] { "build", "run" }), "first use builds");
        Assert.That(Launch(), Is.EqualTo(new[] { "run" }), "nothing changed");
        File.WriteAllText(Path.Combine(_root, "src", "IJepa.Ort", "Lib.cs"), "// edited");
        Assert.That(Launch(), Is.EqualTo(new[] { "build", "run" }), "a library source changed");
        Assert.That(Launch(), Is.EqualTo(new[] { "run" }), "built since, though the CLI dll kept its old time");
    }
}
