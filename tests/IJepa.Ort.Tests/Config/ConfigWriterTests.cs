// ConfigWriter: PyYAML's float spelling and safe string quoting.
using IJepa.Ort.Config;

namespace IJepa.Ort.Tests.Config;

[TestFixture]
public class ConfigWriterTests
{
    [TestCase(1.0e-06, "1.0e-06")]
    [TestCase(0.0002, "0.0002")]
    [TestCase(0.0001, "0.0001")]
    [TestCase(0.00001, "1.0e-05")]
    [TestCase(1.0, "1.0")]
    [TestCase(0.0, "0.0")]
    [TestCase(-0.5, "-0.5")]
    [TestCase(300.0, "300.0")]
    [TestCase(0.996, "0.996")]
    [TestCase(0.1 + 0.2, "0.30000000000000004")]
    [TestCase(1.5e-7, "1.5e-07")]
    [TestCase(1e16, "1.0e+16")]
    [TestCase(1234567890123456.0, "1234567890123456.0")]
    [TestCase(12345678901234567.0, "1.2345678901234568e+16")]
    [TestCase(double.PositiveInfinity, ".inf")]
    public void Float_Value_IsWrittenAsPyYamlDoes(double value, string expected)
    {
        Assert.That(ConfigWriter.Float(value), Is.EqualTo(expected));
    }

    [TestCase("jepa", "jepa")]
    [TestCase("imagenet_full_size/061417/", "imagenet_full_size/061417/")]
    [TestCase("$replace_this_with_absolute_path_to_your_datasets_directory", "$replace_this_with_absolute_path_to_your_datasets_directory")]
    [TestCase("null", "'null'")]
    [TestCase("true", "'true'")]
    [TestCase("1.5", "'1.5'")]
    [TestCase("a: b", "'a: b'")]
    [TestCase("it's", "'it''s'")]
    [TestCase("", "''")]
    public void String_Value_IsPlainOnlyWhenItReadsBackAsItself(string value, string expected)
    {
        Assert.That(ConfigWriter.String(value), Is.EqualTo(expected));
    }

    [Test]
    public void Write_StringsThatLookTyped_ReadBackAsStrings()
    {
        var c = ConfigLoader.Parse("data: {batch_size: 2, root_path: 'null', image_folder: '12'}\noptimization: {epochs: 1, warmup: 0}\n", "x.yaml");
        var back = ConfigLoader.Parse(ConfigWriter.Write(c), "y.yaml");
        Assert.That((back.Data.RootPath, back.Data.ImageFolder), Is.EqualTo(("null", "12")));
    }

    [Test]
    public void Write_ObjectiveLevers_ReadBackEqual()
    {
        var c = ConfigLoader.Load(Presets.PathOf("fmnist-vit-micro.yaml"),
            [new("ijepa_ort.target_blocks", "3"), new("ijepa_ort.vc_loss.variance", "0.5"), new("ijepa_ort.vc_loss.covariance", "0.04")]);
        string text = ConfigWriter.Write(c);
        var back = ConfigLoader.Parse(text, "y.yaml");
        Assert.That(text, Does.Contain("  target_blocks: 3\n").And.Contain("  vc_loss:\n    covariance: 0.04\n    variance: 0.5\n"));
        Assert.That((back.IJepaOrt.TargetBlocks, back.IJepaOrt.VcLoss), Is.EqualTo((3, new VcLossConfig { Variance = 0.5, Covariance = 0.04 })));
        Assert.That(ConfigWriter.Write(back), Is.EqualTo(text));
    }

    [Test]
    public void Save_ThenLoad_GivesTheSameText()
    {
        var c = ConfigLoader.Load(Presets.PathOf("fmnist-vit-micro.yaml"));
        string path = Path.Combine(Path.GetTempPath(), $"ijepa-config-{Guid.NewGuid():N}.yaml");
        try
        {
            ConfigWriter.Save(c, path);
            Assert.That(ConfigWriter.Write(ConfigLoader.Load(path)), Is.EqualTo(ConfigWriter.Write(c)));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
