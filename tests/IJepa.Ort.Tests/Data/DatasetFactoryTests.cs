using IJepa.Ort.Data;
using IJepa.Ort.Errors;
using SkiaSharp;

namespace IJepa.Ort.Tests.Data;

public class DatasetFactoryTests
{
    [Test]
    public void Open_UnknownKind_ThrowsConfigException()
    {
        var error = Assert.Throws<ConfigException>(() => DatasetFactory.Open("svhn", "data", null, DataSplit.Train));

        Assert.That(error!.Message, Does.Contain("'svhn'"));
        Assert.That(error.ExitCode, Is.EqualTo(2));
    }

    [Test]
    public void Open_FashionMnistMissing_ThrowsDataExceptionSayingHowToFetch()
    {
        using var temp = new TempDirectory();

        var error = Assert.Throws<DataException>(() => DatasetFactory.Open("fashion-mnist", temp.Path, "fm", DataSplit.Train));

        Assert.That(error!.Message, Does.StartWith(temp.Combine("fm") + ": ").And.Contain("data fetch fashion-mnist"));
    }

    [Test]
    public void Open_ImageFolder_PicksTrainAndValSubfolders()
    {
        using var temp = new TempDirectory();
        TestImages.Write(temp.Combine("imnet", "train", "a", "0.png"), 4, 4, SKEncodedImageFormat.Png);
        TestImages.Write(temp.Combine("imnet", "train", "b", "0.png"), 4, 4, SKEncodedImageFormat.Png);
        TestImages.Write(temp.Combine("imnet", "val", "a", "0.png"), 4, 4, SKEncodedImageFormat.Png);

        var train = DatasetFactory.Open("image_folder", temp.Path, "imnet", DataSplit.Train);
        var test = DatasetFactory.Open("image_folder", temp.Path, "imnet", DataSplit.Test);

        Assert.That((train.Count, test.Count), Is.EqualTo((2, 1)));
        Assert.That(train.Source, Is.EqualTo(temp.Combine("imnet", "train")));
    }

    [Test]
    public void Open_ImageFolderWithoutVal_TestSplitThrowsDataException()
    {
        using var temp = new TempDirectory();
        TestImages.Write(temp.Combine("a", "0.png"), 4, 4, SKEncodedImageFormat.Png);

        Assert.That(DatasetFactory.Open("image_folder", temp.Path, null, DataSplit.Train).Count, Is.EqualTo(1));
        var error = Assert.Throws<DataException>(() => DatasetFactory.Open("image_folder", temp.Path, null, DataSplit.Test));
        Assert.That(error!.Message, Does.StartWith(temp.Path + ": no val/"));
    }

    [Test]
    public void Open_Idx_ReadsFolder()
    {
        using var temp = new TempDirectory();
        using (var f = File.Create(temp.Combine("t10k-images-idx3-ubyte"))) IdxArray.Write(f, [2, 3, 3], new byte[18]);
        using (var f = File.Create(temp.Combine("t10k-labels-idx1-ubyte"))) IdxArray.Write(f, [2], new byte[] { 0, 1 });

        var dataset = DatasetFactory.Open("idx", temp.Path, null, DataSplit.Test);

        Assert.That((dataset.Count, dataset.NumClasses), Is.EqualTo((2, 2)));
    }
}
