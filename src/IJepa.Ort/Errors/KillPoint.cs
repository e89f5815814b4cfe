// A test hook for the kill-and-resume trials (bench/faults.sh and its fast part in the tests): with IJEPA_KILL_AT=<point>:<n>
// in the environment, the process SIGKILLs itself the n-th time it reaches <point>, leaving its files exactly as a kill
// there would. Unset (always, outside those trials) a call costs one comparison.
using System.Diagnostics;
using System.Globalization;

namespace IJepa.Ort.Errors;

public static class KillPoint
{
    public const string Variable = "IJEPA_KILL_AT";

    static readonly (string Point, int Count)? Target = Parse(Environment.GetEnvironmentVariable(Variable));
    static int _hits;

    /// <summary>Marks a place a kill may hit: "step" (after a step is logged), "mid-write:&lt;file&gt;" (part of a
    /// temporary file written), "before-rename:&lt;file&gt;" (the temporary file complete, not yet renamed).</summary>
    public static void Reach(string point)
    {
        if (Target is not { } target || target.Point != point || Interlocked.Increment(ref _hits) != target.Count) return;
        Console.Out.Flush();
        Process.GetCurrentProcess().Kill();   // SIGKILL: no finally blocks, no flushes
        Thread.Sleep(Timeout.Infinite);
    }

    /// <summary>"&lt;point&gt;:&lt;n&gt;" with n ≥ 1; anything else means no kill (a trial that expects one sees the run finish).</summary>
    static (string, int)? Parse(string? value)
    {
        int colon = value?.LastIndexOf(':') ?? -1;
        return colon > 0 && int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0
            ? (value![..colon], n)
            : null;
    }
}
