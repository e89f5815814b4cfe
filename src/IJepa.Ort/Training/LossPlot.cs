// loss.png: the training loss per step (and its running mean) from log.csv, drawn with ScottPlot.
namespace IJepa.Ort.Training;

public static class LossPlot
{
    public const string File = "loss.png";

    public static string Save(string runDir, long ipe, string title)
    {
        var losses = TrainLog.ReadLosses(runDir, ipe);
        var plot = new ScottPlot.Plot();
        var xs = losses.Select(l => (double)l.Step).ToArray();
        var ys = losses.Select(l => l.Loss).ToArray();
        var raw = plot.Add.Scatter(xs, ys);
        raw.LegendText = "loss";
        raw.MarkerSize = 0;
        raw.LineWidth = 1;
        int window = xs.Length / 20;
        if (window > 1)
        {
            var smooth = plot.Add.Scatter(xs, RunningMean(ys, window));
            smooth.LegendText = $"mean of {window}";
            smooth.MarkerSize = 0;
            smooth.LineWidth = 2;
        }
        plot.Title(title);
        plot.XLabel("step");
        plot.YLabel("smooth-L1 loss");
        plot.ShowLegend();
        var path = Path.Combine(runDir, File);
        plot.SavePng(path, 800, 500);
        return path;
    }

    private static double[] RunningMean(double[] ys, int window)
    {
        var result = new double[ys.Length];
        double sum = 0;
        for (int i = 0; i < ys.Length; i++)
        {
            sum += ys[i];
            if (i >= window) sum -= ys[i - window];
            result[i] = sum / Math.Min(i + 1, window);
        }
        return result;
    }
}
