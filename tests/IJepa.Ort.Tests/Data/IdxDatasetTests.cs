using System.IO.Compression;
using IJepa.Ort.Data;
using IJepa.Ort.Errors;

namespace IJepa.Ort.Tests.Data;

public class IdxDatasetTests
{
    private static (byte[] Images, byte[] Labels) WriteSplit(string dir, string prefix, int count, int h, int w)
    {
        var images = new byte[count * h * w];
        for (int i = 0; i < images.Length; i++) images[i] = (byte)(i * 31);
        var labels = Enumerable.Range(0, count).Select(i => (byte)(i % 10)).ToArray();
        using (var f = File.Create(Path.Combine(dir, $"{prefix}-images-idx3-ubyte"))) IdxArray.Write(f, [count, h, w], images);
        using (var f = File.Create(Path.Combine(dir, $"{prefix}-labels-idx1-ubyte"))) IdxArray.Write(f, [count], labels);
        return (images, labels);
    }

    [Test]
    public void OpenSplit_WrittenFiles_RoundTripsPixelsAndLabels()
    {
        using var temp = new TempDirectory();
        var (images, labels) = WriteSplit(temp.Path, "train", count: 12, h: 5, w: 4);

        var dataset = IdxDataset.OpenSplit(temp.Path, DataSplit.Train);

        Assert.That(dataset.Count, Is.EqualTo(12));
        Assert.That((dataset.Height, dataset.Width, dataset.Channels), Is.EqualTo((5, 4, 1)));
        Assert.That(dataset.NumClasses, Is.EqualTo(10));
        var buffer = new ImageBuffer();
        for (int i = 0; i < 12; i++)
        {
            Assert.That(dataset.TryLoad(i, buffer), Is.True);
            Assert.That(buffer.Pixels.ToArray(), Is.EqualTo(images.AsSpan(i * 20, 20).ToArray()));
            Assert.That(dataset.Label(i), Is.EqualTo(labels[i]));
        }
    }

    [Test]
    public void OpenSplit_GzippedFiles_ReadsThem()
    {
        using var temp = new TempDirectory();
        var (images, _) = WriteSplit(temp.Path, "t10k", count: 3, h: 2, w: 2);
        foreach (string file in Directory.GetFiles(temp.Path))
        {
            using (var source = File.OpenRead(file))
            using (var target = new GZipStream(File.Create(file + ".gz"), CompressionLevel.Fastest))
                source.CopyTo(target);
            File.Delete(file);
        }

        var dataset = IdxDataset.OpenSplit(temp.Path, DataSplit.Test);
        var buffer = new ImageBuffer();
        dataset.TryLoad(2, buffer);

        Assert.That(buffer.Pixels.ToArray(), Is.EqualTo(images[8..12]));
    }

    [Test]
    public void Constructor_TruncatedImages_ThrowsDataExceptionNamingPath()
    {
        using var temp = new TempDirectory();
        WriteSplit(temp.Path, "train", count: 4, h: 3, w: 3);
        string imagesPath = Path.Combine(temp.Path, "train-images-idx3-ubyte");
        var bytes = File.ReadAllBytes(imagesPath);
        File.WriteAllBytes(imagesPath, bytes[..^5]);

        var error = Assert.Throws<DataException>(() => IdxDataset.OpenSplit(temp.Path, DataSplit.Train));

        Assert.That(error!.Message, Does.StartWith(imagesPath + ": truncated"));
        Assert.That(error.ExitCode, Is.EqualTo(3));
    }

    [Test]
    public void Constructor_BadMagic_ThrowsDataException()
    {
        using var temp = new TempDirectory();
        WriteSplit(temp.Path, "train", count: 2, h: 2, w: 2);
        string labelsPath = Path.Combine(temp.Path, "train-labels-idx1-ubyte");
        var bytes = File.ReadAllBytes(labelsPath);
        bytes[3] = 3;
        File.WriteAllBytes(labelsPath, bytes);

        var error = Assert.Throws<DataException>(() => IdxDataset.OpenSplit(temp.Path, DataSplit.Train));

        Assert.That(error!.Message, Does.StartWith(labelsPath + ": bad IDX magic"));
    }

    [Test]
    public void Constructor_LabelCountMismatch_ThrowsDataException()
    {
        using var temp = new TempDirectory();
        WriteSplit(temp.Path, "train", count: 4, h: 2, w: 2);
        string labelsPath = Path.Combine(temp.Path, "train-labels-idx1-ubyte");
        using (var f = File.Create(labelsPath)) IdxArray.Write(f, [3], new byte[3]);

        var error = Assert.Throws<DataException>(() => IdxDataset.OpenSplit(temp.Path, DataSplit.Train));

        Assert.That(error!.Message, Does.Contain("3 labels for 4 images"));
    }

    [Test]
    public void OpenSplit_MissingFile_ThrowsDataExceptionNamingPath()
    {
        using var temp = new TempDirectory();

        var error = Assert.Throws<DataException>(() => IdxDataset.OpenSplit(temp.Path, DataSplit.Test));

        Assert.That(error!.Message, Does.StartWith(Path.Combine(temp.Path, "t10k-images-idx3-ubyte")));
    }
}
