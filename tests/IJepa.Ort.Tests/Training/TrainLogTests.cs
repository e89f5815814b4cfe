// The run's logs on resume: cut back to the checkpoint's step, a torn last line (a kill mid-write) dropped.
using IJepa.Ort.Errors;
using IJepa.Ort.Tests.Checkpoints;
using IJepa.Ort.Training;

namespace IJepa.Ort.Tests.Training;

public class TrainLogTests : TempFolderTest
{
    const string Header = "epoch,itr,loss,mask-A,mask-B,time (ms),lr,wd,momentum,skipped";
    const int Ipe = 3;

    static string Row(long step, double loss = 0.5) => $"{step / Ipe + 1},{step % Ipe},{loss:F5},40,12,100,0.001,0.04,0.996,0";

    string Csv => File(TrainLog.CsvFile);
    string Metrics => File(TrainLog.MetricsFile);

    void WriteCsv(int rows, string tail = "") =>
        System.IO.File.WriteAllText(Csv, string.Join("\n", [Header, .. Enumerable.Range(0, rows).Select(s => Row(s))]) + "\n" + tail);

    [Test]
    public void Open_TornLastCsvLine_DropsItAndKeepsEarlierRows()
    {
        WriteCsv(5, tail: "2,");                           // the kill came while row 5 was being written
        using (var log = new TrainLog(Folder, fromStep: 5, Ipe)) { }
        Assert.That(System.IO.File.ReadAllLines(Csv), Is.EqualTo(new[] { Header }.Concat(Enumerable.Range(0, 5).Select(s => Row(s)))));
    }

    [Test]
    public void Open_TornLineWithAllColumns_IsStillDropped()
    {
        WriteCsv(4, tail: Row(4, 0.25)[..^1]);             // only the final newline and one digit missing
        using (var log = new TrainLog(Folder, fromStep: 6, Ipe)) { }
        Assert.That(System.IO.File.ReadAllLines(Csv), Has.Length.EqualTo(5));
    }

    [Test]
    public void Open_RowsPastTheCheckpoint_AreCutBack()
    {
        WriteCsv(8);
        using (var log = new TrainLog(Folder, fromStep: 6, Ipe)) { }
        Assert.That(TrainLog.ReadLosses(Folder, Ipe).Select(l => l.Step), Is.EqualTo(Enumerable.Range(0, 6).Select(i => (long)i)));
    }

    [Test]
    public void Open_GarbageRowBeforeTheTail_IsRefusedNamingTheLine()
    {
        System.IO.File.WriteAllText(Csv, $"{Header}\n{Row(0)}\nnot,a,row\n{Row(2)}\n");
        var ex = Assert.Throws<DataException>(() => new TrainLog(Folder, fromStep: 3, Ipe).Dispose());
        Assert.That(ex!.Message, Does.Contain(Csv).And.Contain("line 3"));
    }

    [Test]
    public void Open_Resume_CutsMetricsBackToTheCheckpointStep()
    {
        System.IO.File.WriteAllText(Metrics, "{\"epoch\":1,\"step\":3}\n{\"epoch\":2,\"step\":6}\n{\"epoch\":2,\"step\":6,\"knn_top1\":0.5}\n{\"epoch\":3,\"step\":9}\n{\"epoch\":4,\"st");
        WriteCsv(10);
        using (var log = new TrainLog(Folder, fromStep: 6, Ipe)) { }
        Assert.That(System.IO.File.ReadAllLines(Metrics), Is.EqualTo(new[] { "{\"epoch\":1,\"step\":3}", "{\"epoch\":2,\"step\":6}", "{\"epoch\":2,\"step\":6,\"knn_top1\":0.5}" }));
    }

    [Test]
    public void Open_Fresh_EmptiesBothLogs()
    {
        WriteCsv(4);
        System.IO.File.WriteAllText(Metrics, "{\"epoch\":1,\"step\":3}\n");
        using (var log = new TrainLog(Folder, fromStep: 0, Ipe)) { }
        Assert.That(System.IO.File.ReadAllLines(Csv), Is.EqualTo(new[] { Header }));
        Assert.That(System.IO.File.ReadAllText(Metrics), Is.Empty);
    }

    [Test]
    public void EpochLosses_ResumedMidEpoch_HoldTheEpochsLoggedRowsThenTheNewOnes()
    {
        System.IO.File.WriteAllText(Csv, string.Join("\n", [Header, Row(0, 0.9), Row(1, 0.8), Row(2, 0.7), Row(3, 0.6), Row(4, 0.5)]) + "\n");
        using var log = new TrainLog(Folder, fromStep: 5, Ipe);
        log.Append(new StepRecord(1, 2, 5, 0.4f, 40, 12, 100, 0.001, 0.04, 0.996, 0));
        Assert.That(log.EpochLosses, Is.EqualTo(new[] { 0.6, 0.5, 0.4 }).Within(1e-6));
    }

    [Test]
    public void ReadLosses_TornLastLine_IsSkipped()
    {
        WriteCsv(3, tail: "1,");
        Assert.That(TrainLog.ReadLosses(Folder, Ipe), Has.Count.EqualTo(3));
    }
}
