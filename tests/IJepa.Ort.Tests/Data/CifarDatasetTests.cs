using IJepa.Ort.Data;
using IJepa.Ort.Errors;

namespace IJepa.Ort.Tests.Data;

public class CifarDatasetTests
{
    /// <summary>A record: label byte(s), then channel-major pixels where value = (record, channel, position).</summary>
    private static byte[] Record(byte[] labels, int seed)
    {
        var record = new byte[labels.Length + 3072];
        labels.CopyTo(record, 0);
        for (int c = 0; c < 3; c++)
            for (int p = 0; p < 1024; p++) record[labels.Length + c * 1024 + p] = (byte)(seed * 11 + c * 80 + p);
        return record;
    }

    private static void WriteCifar10(string dir, int recordsPerBatch)
    {
        Directory.CreateDirectory(dir);
        int seed = 0;
        foreach (string name in new[] { "data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4", "data_batch_5", "test_batch" })
        {
            using var f = File.Create(Path.Combine(dir, name + ".bin"));
            for (int r = 0; r < recordsPerBatch; r++, seed++) f.Write(Record([(byte)(seed % 10)], seed));
        }
    }

    [Test]
    public void Open_Cifar10Train_ParsesRecordsIntoHwc()
    {
        using var temp = new TempDirectory();
        WriteCifar10(temp.Combine("cifar-10-batches-bin"), recordsPerBatch: 3);

        var dataset = CifarDataset.Open(temp.Path, DataSplit.Train);

        Assert.That(dataset.Count, Is.EqualTo(15));
        Assert.That(dataset.NumClasses, Is.EqualTo(10));
        Assert.That(dataset.ClassNames[0], Is.EqualTo("airplane"));
        var buffer = new ImageBuffer();
        dataset.TryLoad(7, buffer);
        Assert.That((buffer.Height, buffer.Width, buffer.Channels), Is.EqualTo((32, 32, 3)));
        Assert.That(dataset.Label(7), Is.EqualTo(7));
        int y = 5, x = 9, p = y * 32 + x;
        for (int c = 0; c < 3; c++) Assert.That(buffer[y, x, c], Is.EqualTo((byte)(7 * 11 + c * 80 + p)));
    }

    [Test]
    public void Open_Cifar10Test_ReadsTestBatchOnly()
    {
        using var temp = new TempDirectory();
        WriteCifar10(temp.Path, recordsPerBatch: 2);

        var dataset = CifarDataset.Open(temp.Path, DataSplit.Test);

        Assert.That(dataset.Count, Is.EqualTo(2));
        Assert.That(dataset.Label(0), Is.EqualTo(10 % 10));
    }

    [Test]
    public void Open_TruncatedBatch_ThrowsDataExceptionNamingFile()
    {
        using var temp = new TempDirectory();
        WriteCifar10(temp.Path, recordsPerBatch: 2);
        string batch3 = temp.Combine("data_batch_3.bin");
        File.WriteAllBytes(batch3, File.ReadAllBytes(batch3)[..^100]);

        var error = Assert.Throws<DataException>(() => CifarDataset.Open(temp.Path, DataSplit.Train));

        Assert.That(error!.Message, Does.StartWith(batch3 + ": truncated"));
    }

    [Test]
    public void Open_LabelOutOfRange_ThrowsDataException()
    {
        using var temp = new TempDirectory();
        WriteCifar10(temp.Path, recordsPerBatch: 1);
        File.WriteAllBytes(temp.Combine("test_batch.bin"), Record([42], 0));

        var error = Assert.Throws<DataException>(() => CifarDataset.Open(temp.Path, DataSplit.Test));

        Assert.That(error!.Message, Does.Contain("label 42"));
    }

    [Test]
    public void Open_Cifar100_UsesFineOrCoarseLabels()
    {
        using var temp = new TempDirectory();
        using (var f = File.Create(temp.Combine("train.bin")))
        {
            f.Write(Record([3, 57], 0));
            f.Write(Record([19, 99], 1));
        }

        var fine = CifarDataset.Open(temp.Path, DataSplit.Train);
        var coarse = CifarDataset.Open(temp.Path, DataSplit.Train, coarseLabels: true);

        Assert.That((fine.NumClasses, fine.Label(0), fine.Label(1)), Is.EqualTo((100, 57, 99)));
        Assert.That((coarse.NumClasses, coarse.Label(0), coarse.Label(1)), Is.EqualTo((20, 3, 19)));
        var buffer = new ImageBuffer();
        fine.TryLoad(1, buffer);
        Assert.That(buffer[0, 1, 2], Is.EqualTo((byte)(11 + 160 + 1)));
    }

    [Test]
    public void Open_NoBatches_ThrowsDataException()
    {
        using var temp = new TempDirectory();

        var error = Assert.Throws<DataException>(() => CifarDataset.Open(temp.Path, DataSplit.Train));

        Assert.That(error!.Message, Does.StartWith(temp.Path + ": no CIFAR"));
    }
}
