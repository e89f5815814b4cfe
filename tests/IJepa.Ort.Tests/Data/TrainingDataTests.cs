// The data set a config trains on: refused with the right error when its files are bad, never silently replaced.
using IJepa.Ort.Config;
using IJepa.Ort.Data;
using IJepa.Ort.Errors;
using IJepa.Ort.Tests.Config;

namespace IJepa.Ort.Tests.Data;

public class TrainingDataTests
{
    static IJepaConfig Config(params (string Key, string Value)[] overrides) =>
        ConfigLoader.Load(Presets.PathOf("fmnist-vit-micro.yaml"), overrides.Select(o => KeyValuePair.Create(o.Key, o.Value)).ToList());

    [Test]
    public void Open_CorruptFashionMnistFolder_IsRefusedNotFetchedAgain()
    {
        using var temp = new TempDirectory();
        string images = temp.Combine(FashionMnistPackage.TrainImages);
        File.WriteAllBytes(images, new byte[1000]);                     // present, but not the real file
        var config = Config(("data.root_path", temp.Path));

        var error = Assert.Throws<DataException>(() => TrainingData.Open(config, TextWriter.Null));

        Assert.That(error!.Message, Does.StartWith(images + ": ").And.Contain("SHA-256").And.Contain("data fetch"));
        Assert.That(File.ReadAllBytes(images), Is.EqualTo(new byte[1000]));
        Assert.That(Directory.GetFiles(temp.Path), Has.Length.EqualTo(1));
    }

    [Test]
    public void Open_ImageFolderOfOnlyBadFilesSmallerThanABatch_SaysNoImageCouldBeRead()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Combine("train", "a"));
        for (int i = 0; i < 3; i++) File.WriteAllText(temp.Combine("train", "a", $"{i}.png"), "not a png");
        var config = Config(("ijepa_ort.dataset", "image_folder"), ("data.root_path", temp.Path), ("data.batch_size", "8"));

        var error = Assert.Throws<DataException>(() => TrainingData.Open(config, TextWriter.Null));

        Assert.That(error!.Message, Does.Contain("no image could be read"));
        Assert.That(error.ExitCode, Is.EqualTo(3));
    }
}
