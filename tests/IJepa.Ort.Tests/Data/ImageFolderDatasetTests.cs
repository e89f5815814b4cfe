using IJepa.Ort.Data;
using IJepa.Ort.Errors;
using SkiaSharp;

namespace IJepa.Ort.Tests.Data;

public class ImageFolderDatasetTests
{
    /// <summary>cat/ (2 PNG, 1 corrupt JPEG), dog/ (1 JPEG, 1 WebP, 1 text file), ant/ (1 PNG in a sub-folder).</summary>
    private static void WriteFolder(TempDirectory temp)
    {
        TestImages.Write(temp.Combine("cat", "b.png"), 6, 4, SKEncodedImageFormat.Png, seed: 1);
        TestImages.Write(temp.Combine("cat", "a.png"), 5, 3, SKEncodedImageFormat.Png, seed: 2);
        File.WriteAllBytes(temp.Combine("cat", "broken.jpg"), [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]);
        TestImages.Write(temp.Combine("dog", "x.jpg"), 16, 16, SKEncodedImageFormat.Jpeg, seed: 3);
        TestImages.Write(temp.Combine("dog", "y.webp"), 8, 8, SKEncodedImageFormat.Webp, seed: 4);
        File.WriteAllText(temp.Combine("dog", "notes.txt"), "not an image");
        TestImages.Write(temp.Combine("ant", "deep", "z.png"), 4, 4, SKEncodedImageFormat.Png, seed: 5);
    }

    [Test]
    public void Constructor_ClassFolders_ListsImagesInSortedOrder()
    {
        using var temp = new TempDirectory();
        WriteFolder(temp);

        var dataset = new ImageFolderDataset(temp.Path);

        Assert.That(dataset.ClassNames, Is.EqualTo(new[] { "ant", "cat", "dog" }));
        Assert.That(dataset.Count, Is.EqualTo(6));
        Assert.That(Enumerable.Range(0, 6).Select(dataset.Label), Is.EqualTo(new[] { 0, 1, 1, 1, 2, 2 }));
        Assert.That(Path.GetFileName(dataset.FilePath(1)), Is.EqualTo("a.png"));
    }

    [Test]
    public void TryLoad_Png_DecodesExactPixels()
    {
        using var temp = new TempDirectory();
        WriteFolder(temp);
        var dataset = new ImageFolderDataset(temp.Path);
        var buffer = new ImageBuffer();

        Assert.That(dataset.TryLoad(2, buffer), Is.True);   // cat/b.png, 6x4, seed 1

        Assert.That((buffer.Height, buffer.Width, buffer.Channels), Is.EqualTo((4, 6, 3)));
        var expected = TestImages.Color(5, 3, seed: 1);
        Assert.That((buffer[3, 5, 0], buffer[3, 5, 1], buffer[3, 5, 2]), Is.EqualTo((expected.Red, expected.Green, expected.Blue)));
    }

    [Test]
    public void TryLoad_JpegAndWebp_Decode()
    {
        using var temp = new TempDirectory();
        WriteFolder(temp);
        var dataset = new ImageFolderDataset(temp.Path);
        var buffer = new ImageBuffer();

        Assert.That(dataset.TryLoad(4, buffer), Is.True);
        Assert.That((buffer.Height, buffer.Width), Is.EqualTo((16, 16)));
        Assert.That(dataset.TryLoad(5, buffer), Is.True);
        Assert.That((buffer.Height, buffer.Width), Is.EqualTo((8, 8)));
    }

    [Test]
    public void TryLoad_CorruptFile_IsSkippedWarnedOnceAndCounted()
    {
        using var temp = new TempDirectory();
        WriteFolder(temp);
        var log = new StringWriter();
        var dataset = new ImageFolderDataset(temp.Path, log: log);
        var buffer = new ImageBuffer();

        bool first = dataset.TryLoad(3, buffer);   // cat/broken.jpg
        bool second = dataset.TryLoad(3, buffer);

        Assert.That((first, second), Is.EqualTo((false, false)));
        Assert.That(dataset.SkippedCount, Is.EqualTo(1));
        Assert.That(log.ToString(), Does.Contain("broken.jpg"));
        Assert.That(log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(1));
    }

    [Test]
    public void Constructor_Verify_LeavesOutUnreadableImages()
    {
        using var temp = new TempDirectory();
        WriteFolder(temp);

        var dataset = new ImageFolderDataset(temp.Path, verify: true);

        Assert.That(dataset.Count, Is.EqualTo(5));
        Assert.That(dataset.SkippedCount, Is.EqualTo(1));
        Assert.That(Enumerable.Range(0, 5).Select(i => Path.GetFileName(dataset.FilePath(i))), Does.Not.Contain("broken.jpg"));
    }

    [Test]
    public void TryLoad_GreyChannel_TakesLuma()
    {
        using var temp = new TempDirectory();
        WriteFolder(temp);
        var dataset = new ImageFolderDataset(temp.Path, channels: 1);
        var buffer = new ImageBuffer();

        dataset.TryLoad(0, buffer);   // ant/deep/z.png, seed 5

        var c = TestImages.Color(2, 1, seed: 5);
        Assert.That(buffer.Channels, Is.EqualTo(1));
        Assert.That(buffer[1, 2, 0], Is.EqualTo((byte)Math.Round(0.299 * c.Red + 0.587 * c.Green + 0.114 * c.Blue)).Within(1));
    }

    [Test]
    public void Constructor_MissingFolder_ThrowsDataExceptionNamingPath()
    {
        using var temp = new TempDirectory();
        string missing = temp.Combine("nope");

        var error = Assert.Throws<DataException>(() => new ImageFolderDataset(missing));

        Assert.That(error!.Message, Does.StartWith(missing + ": "));
    }

    [Test]
    public void Constructor_EmptyFolder_ThrowsDataException()
    {
        using var temp = new TempDirectory();

        var error = Assert.Throws<DataException>(() => new ImageFolderDataset(temp.Path));

        Assert.That(error!.Message, Does.StartWith(temp.Path + ": no class folders"));
    }

    [Test]
    public void Constructor_ClassFoldersWithoutImages_ThrowsDataException()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Combine("a"));
        File.WriteAllText(temp.Combine("a", "readme.txt"), "x");

        var error = Assert.Throws<DataException>(() => new ImageFolderDataset(temp.Path));

        Assert.That(error!.Message, Does.StartWith(temp.Path + ": no images"));
    }
}
