// The run's logs: log.csv (upstream's columns plus lr, wd, momentum, skipped) and metrics.jsonl.
using System.Globalization;
using System.Text.Json;

namespace IJepa.Ort.Training;

/// <summary>One train step as logged.</summary>
public readonly record struct StepRecord(
    int Epoch, int Itr, long Step, float Loss, int MaskA, int MaskB, double TimeMs, double Lr, double Wd, double Momentum, int Skipped);

public sealed class TrainLog : IDisposable
{
    public const string CsvFile = "log.csv";
    public const string MetricsFile = "metrics.jsonl";
    private const string Header = "epoch,itr,loss,mask-A,mask-B,time (ms),lr,wd,momentum,skipped";
    private readonly StreamWriter _csv, _metrics;

    /// <summary>Opens the logs of <paramref name="runDir"/>; when resuming at <paramref name="fromStep"/>, rows of later steps are dropped.</summary>
    public TrainLog(string runDir, long fromStep, long ipe)
    {
        var csvPath = Path.Combine(runDir, CsvFile);
        var kept = File.Exists(csvPath) && fromStep > 0
            ? File.ReadLines(csvPath).Skip(1).Where(l => RowStep(l, ipe) < fromStep).ToList()
            : [];
        File.WriteAllLines(csvPath, [Header, .. kept]);
        _csv = new StreamWriter(csvPath, append: true) { AutoFlush = false };
        _metrics = new StreamWriter(Path.Combine(runDir, MetricsFile), append: fromStep > 0);
    }

    public void Append(StepRecord r)
    {
        _csv.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{r.Epoch + 1},{r.Itr},{r.Loss:F5},{r.MaskA},{r.MaskB},{r.TimeMs:F0},{r.Lr:G6},{r.Wd:G6},{r.Momentum:G8},{r.Skipped}"));
    }

    /// <summary>One JSON object per line: a step summary, an epoch summary or an evaluation.</summary>
    public void Metric(object record) => _metrics.WriteLine(JsonSerializer.Serialize(record));

    public void Flush()
    {
        _csv.Flush();
        _metrics.Flush();
    }

    /// <summary>(step, loss) of every row of a log.csv, for plots and tests.</summary>
    public static List<(long Step, double Loss)> ReadLosses(string runDir, long ipe) =>
        File.ReadLines(Path.Combine(runDir, CsvFile)).Skip(1)
            .Select(l => (RowStep(l, ipe), double.Parse(l.Split(',')[2], CultureInfo.InvariantCulture))).ToList();

    private static long RowStep(string line, long ipe)
    {
        var f = line.Split(',');
        return (long.Parse(f[0], CultureInfo.InvariantCulture) - 1) * ipe + long.Parse(f[1], CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        Flush();
        _csv.Dispose();
        _metrics.Dispose();
    }
}
