// The run's logs: log.csv (upstream's columns plus lr, wd, momentum, skipped) and metrics.jsonl, cut back to the
// checkpoint's step on resume; a line without its final newline is the torn tail of a killed write and is dropped.
using System.Globalization;
using System.Text;
using System.Text.Json;
using IJepa.Ort.Checkpoints;
using IJepa.Ort.Errors;

namespace IJepa.Ort.Training;

/// <summary>One train step as logged.</summary>
public readonly record struct StepRecord(
    int Epoch, int Itr, long Step, float Loss, int MaskA, int MaskB, double TimeMs, double Lr, double Wd, double Momentum, int Skipped);

public sealed class TrainLog : IDisposable
{
    public const string CsvFile = "log.csv";
    public const string MetricsFile = "metrics.jsonl";
    private const string Header = "epoch,itr,loss,mask-A,mask-B,time (ms),lr,wd,momentum,skipped";
    private static readonly int Columns = Header.Split(',').Length;
    private readonly StreamWriter _csv, _metrics;
    private readonly long _ipe;
    private readonly List<double> _epochLosses = [];

    /// <summary>Opens the logs of <paramref name="runDir"/>. Fresh (<paramref name="fromStep"/> 0): both are emptied. Resuming:
    /// rows of steps ≥ <paramref name="fromStep"/> and metrics of steps &gt; it are dropped (the checkpoint holds everything
    /// logged up to it), as is a torn last line; the cut files replace the old ones atomically.</summary>
    public TrainLog(string runDir, long fromStep, long ipe)
    {
        _ipe = ipe;
        var csvPath = Path.Combine(runDir, CsvFile);
        var metricsPath = Path.Combine(runDir, MetricsFile);
        var rows = fromStep > 0 ? ReadRows(csvPath, ipe).Where(r => r.Step < fromStep).ToList() : [];
        var metrics = fromStep > 0 ? ReadMetrics(metricsPath).Where(m => m.Step <= fromStep).Select(m => m.Line).ToList() : [];
        long epochStart = fromStep / ipe * ipe;
        _epochLosses.AddRange(rows.Where(r => r.Step >= epochStart).Select(r => r.Loss));
        WriteLines(csvPath, [Header, .. rows.Select(r => r.Line)]);
        WriteLines(metricsPath, metrics);
        _csv = Open(csvPath);
        _csv.AutoFlush = true;          // a row per step as upstream's CSVLogger writes it: the file shows the steps done
        _metrics = Open(metricsPath);
    }

    /// <summary>The losses of the current epoch as logged (5 decimals), including rows kept from before a resume.</summary>
    public IReadOnlyList<double> EpochLosses => _epochLosses;

    public void Append(StepRecord r)
    {
        if (r.Itr == 0) _epochLosses.Clear();
        string loss = r.Loss.ToString("F5", CultureInfo.InvariantCulture);
        _epochLosses.Add(double.Parse(loss, CultureInfo.InvariantCulture));
        _csv.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{r.Epoch + 1},{r.Itr},{loss},{r.MaskA},{r.MaskB},{r.TimeMs:F0},{r.Lr:G6},{r.Wd:G6},{r.Momentum:G8},{r.Skipped}"));
    }

    /// <summary>One JSON object per line: an epoch summary or an evaluation; each carries the <c>step</c> it describes.</summary>
    public void Metric(object record) => _metrics.WriteLine(JsonSerializer.Serialize(record));

    public void Flush()
    {
        _csv.Flush();
        _metrics.Flush();
    }

    /// <summary>(step, loss) of every complete row of a log.csv, for plots and tests.</summary>
    public static List<(long Step, double Loss)> ReadLosses(string runDir, long ipe) =>
        ReadRows(Path.Combine(runDir, CsvFile), ipe).Select(r => (r.Step, r.Loss)).ToList();

    private readonly record struct Row(long Step, double Loss, string Line);

    private static IEnumerable<Row> ReadRows(string path, long ipe)
    {
        int number = 1;
        foreach (var line in CompleteLines(path).Skip(1))
        {
            number++;
            var f = line.Split(',');
            if (f.Length != Columns
                || !long.TryParse(f[0], NumberStyles.None, CultureInfo.InvariantCulture, out long epoch) || epoch < 1
                || !long.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out long itr)
                || !double.TryParse(f[2], NumberStyles.Float, CultureInfo.InvariantCulture, out double loss))
                throw DataException.At(path, $"line {number} is not a log row ('{Shorten(line)}'); delete it or start the run afresh");
            yield return new Row((epoch - 1) * ipe + itr, loss, line);
        }
    }

    private static IEnumerable<(long Step, string Line)> ReadMetrics(string path)
    {
        int number = 0;
        foreach (var line in CompleteLines(path))
        {
            number++;
            long? step = null;
            try
            {
                using var doc = JsonDocument.Parse(line);
                if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("step", out var s) && s.TryGetInt64(out long v)) step = v;
            }
            catch (JsonException) { }
            yield return (step ?? throw DataException.At(path, $"line {number} is not a metrics record with a step ('{Shorten(line)}')"), line);
        }
    }

    /// <summary>The lines of a file that end with a newline: a last line without one is the torn tail of a killed write.</summary>
    private static IEnumerable<string> CompleteLines(string path)
    {
        if (!File.Exists(path)) yield break;
        using var reader = new StreamReader(path, Encoding.UTF8);
        var line = new StringBuilder();
        int c;
        while ((c = reader.Read()) >= 0)
        {
            if (c != '\n') { line.Append((char)c); continue; }
            yield return line.ToString().TrimEnd('\r');
            line.Clear();
        }
    }

    private static string Shorten(string line) => line.Length <= 40 ? line : line[..40] + "…";

    private static void WriteLines(string path, IEnumerable<string> lines) => AtomicFile.Write(path, stream =>
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
        foreach (var line in lines) writer.Write(line + "\n");
    });

    private static StreamWriter Open(string path)
    {
        try { return new StreamWriter(path, append: true, new UTF8Encoding(false)) { NewLine = "\n" }; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IJepaException($"{path}: cannot write: {OsError.Describe(e)}", inner: e);
        }
    }

    public void Dispose()
    {
        Flush();
        _csv.Dispose();
        _metrics.Dispose();
    }
}
