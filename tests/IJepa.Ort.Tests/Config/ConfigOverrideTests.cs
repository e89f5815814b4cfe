// Command-line overrides: a value replaces one key; errors about it name the command line and the key.
using IJepa.Ort.Config;
using IJepa.Ort.Errors;

namespace IJepa.Ort.Tests.Config;

[TestFixture]
public class ConfigOverrideTests
{
    private static IJepaConfig Base() => ConfigLoader.Load(Presets.PathOf("in1k_vith14_ep300.yaml"));

    [Test]
    public void Override_Number_ReplacesTheKey()
    {
        var c = Base().Override("optimization.lr", "0.002");
        Assert.That(c.Optimization.Lr, Is.EqualTo(0.002));
        Assert.That(c.Optimization.StartLr, Is.EqualTo(0.0002));
    }

    [Test]
    public void Override_FlowList_ReplacesThePair()
    {
        Assert.That(Base().Override("mask.pred_mask_scale", "[0.1, 0.2]").Mask.PredMaskScale, Is.EqualTo((0.1, 0.2)));
    }

    [Test]
    public void Override_KeyOfAbsentSection_CreatesIt()
    {
        var c = Base().Override("ijepa_ort.ipe", "10").Override("ijepa_ort.model.depth", "2");
        Assert.That((c.IJepaOrt.Ipe, c.IJepaOrt.Model.Depth), Is.EqualTo(((int?)10, (int?)2)));
    }

    [Test]
    public void Override_NestedLeverKeys_SetTheObjective()
    {
        var c = ConfigLoader.Load(Presets.PathOf("fmnist-vit-micro.yaml"),
            [new("ijepa_ort.target_blocks", "2"), new("ijepa_ort.vc_loss.variance", "1"), new("ijepa_ort.vc_loss.covariance", "0.04")]);
        Assert.That((c.IJepaOrt.TargetBlocks, c.IJepaOrt.VcLoss.Variance, c.IJepaOrt.VcLoss.Covariance), Is.EqualTo((2, 1.0, 0.04)));
    }

    [Test]
    public void Override_TargetBlocksBeyondDepth_NamesCommandLineAndKey()
    {
        var e = Assert.Throws<ConfigException>(() => Base().Override("ijepa_ort.target_blocks", "33"))!;
        Assert.That(e.Message, Is.EqualTo("command line: ijepa_ort.target_blocks: 33 must lie in 1..32 (the encoder's depth)"));
    }

    [Test]
    public void Override_Null_ClearsANullableKey()
    {
        var c = Base().Override("data.root_path", "null");
        Assert.That(c.Data.RootPath, Is.Null);
    }

    [Test]
    public void Override_BadValue_NamesCommandLineAndKey()
    {
        var e = Assert.Throws<ConfigException>(() => Base().Override("optimization.lr", "fast"))!;
        Assert.That(e.Message, Is.EqualTo("command line: optimization.lr: expected a number, got 'fast'"));
    }

    [Test]
    public void Override_ImpossibleValue_NamesCommandLineAndKey()
    {
        var e = Assert.Throws<ConfigException>(() => Base().Override("mask.patch_size", "15"))!;
        Assert.That(e.Message, Is.EqualTo("command line: mask.patch_size: 15 does not divide data.crop_size 224"));
    }

    [Test]
    public void Override_UnknownKey_NamesCommandLineAndKey()
    {
        var e = Assert.Throws<ConfigException>(() => Base().Override("optimization.lrr", "0.1"))!;
        Assert.That(e.Message, Does.StartWith("command line: optimization.lrr: unknown key"));
    }

    [Test]
    public void Override_KeyWithoutSection_IsRejected()
    {
        var e = Assert.Throws<ConfigException>(() => Base().Override("lr", "0.1"))!;
        Assert.That(e.Message, Does.StartWith("command line: lr: expected a full key"));
    }

    [Test]
    public void Load_WithOverrides_AppliesThemInOrder()
    {
        var c = ConfigLoader.Load(Presets.PathOf("fmnist-vit-micro.yaml"),
            [new("optimization.epochs", "1"), new("optimization.epochs", "3"), new("ijepa_ort.seed", "7")]);
        Assert.That((c.Optimization.Epochs, c.IJepaOrt.Seed), Is.EqualTo((3, 7UL)));
    }

    [Test]
    public void Override_UnrelatedLaterError_StillNamesTheFile()
    {
        var c = Base().Override("optimization.lr", "0.002");
        var e = Assert.Throws<ConfigException>(() => c.IterationsPerEpoch(1))!;
        Assert.That(e.Message, Is.EqualTo($"{Presets.PathOf("in1k_vith14_ep300.yaml")}: data.batch_size: 128 is larger than the data set (1 images)"));
    }
}
