// Plots of probe accuracy over training: the probe verb's curve over checkpoints, and the trainer's online kNN.
using System.Text.Json;

namespace IJepa.Ort.Evaluation;

public static class ProbePlot
{
    public const string OnlineFile = "eval.png";

    /// <summary>One line per (task, readout, method) over the steps; the raw-pixel baselines as dashed horizontal lines.</summary>
    public static string SaveCurve(string path, IReadOnlyList<CurvePoint> curve, IReadOnlyList<ProbeScore> baselines, string title)
    {
        var plot = new ScottPlot.Plot();
        foreach (var group in curve.GroupBy(p => (p.Task, p.Readout, p.Method)))
        {
            var points = group.OrderBy(p => p.Step).ToArray();
            var line = plot.Add.Scatter(points.Select(p => (double)p.Step).ToArray(), points.Select(p => 100 * p.Top1).ToArray());
            line.LegendText = Label(group.Key.Task, group.Key.Readout, group.Key.Method, curve);
        }
        foreach (var b in baselines)
        {
            var h = plot.Add.HorizontalLine(100 * b.Top1);
            h.LinePattern = ScottPlot.LinePattern.Dashed;
            h.LegendText = $"{Label(b.Task, b.Readout, b.Method, curve)}, {b.Encoder}";
        }
        return Save(plot, path, title, "step");
    }

    /// <summary>The run's online kNN top-1 (metrics.jsonl records with <c>knn_top1</c>) over steps, to eval.png.</summary>
    public static string? SaveOnline(string runDir, string title)
    {
        var metrics = Path.Combine(runDir, Training.TrainLog.MetricsFile);
        if (!File.Exists(metrics)) return null;
        var points = new List<(double Step, double Top1)>();
        foreach (var line in File.ReadLines(metrics))
        {
            using var doc = JsonDocument.Parse(line);
            if (doc.RootElement.TryGetProperty(OnlineEvaluation.Top1Key, out var top1) && doc.RootElement.TryGetProperty("step", out var step))
                points.Add((step.GetDouble(), 100 * top1.GetDouble()));
        }
        if (points.Count == 0) return null;
        var plot = new ScottPlot.Plot();
        var scatter = plot.Add.Scatter(points.Select(p => p.Step).ToArray(), points.Select(p => p.Top1).ToArray());
        scatter.LegendText = "online kNN top-1 (held-out subset)";
        return Save(plot, Path.Combine(runDir, OnlineFile), title, "step");
    }

    private static string Label(ProbeTask task, string readout, ProbeMethod method, IReadOnlyList<CurvePoint> curve) =>
        (curve.Select(p => p.Task).Distinct().Count() > 1 ? $"{task.ToString().ToLowerInvariant()} " : "") + $"{readout} {Probe.Name(method)}";

    private static string Save(ScottPlot.Plot plot, string path, string title, string xLabel)
    {
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel("top-1 accuracy (%)");
        plot.ShowLegend();
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        plot.SavePng(path, 800, 500);
        return path;
    }
}
