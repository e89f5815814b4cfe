// Checkpoint tensor names: Adam moments, target twins, and the mapping from upstream state-dict keys.
using IJepa.Ort.Checkpoints;

namespace IJepa.Ort.Tests.Checkpoints;

public class CheckpointKeysTests
{
    [Test]
    public void AdamMoments_ParameterName_Prefixed()
    {
        Assert.That(CheckpointKeys.AdamM("encoder.blocks.3.attn.qkv.weight"), Is.EqualTo("opt.m.encoder.blocks.3.attn.qkv.weight"));
        Assert.That(CheckpointKeys.AdamV("predictor.mask_token"), Is.EqualTo("opt.v.predictor.mask_token"));
    }

    [Test]
    public void TargetOf_EncoderParameter_TargetEncoderName()
    {
        Assert.That(CheckpointKeys.TargetOf("encoder.blocks.0.norm1.weight"), Is.EqualTo("target_encoder.blocks.0.norm1.weight"));
        Assert.That(() => CheckpointKeys.TargetOf("predictor.mask_token"), Throws.ArgumentException);
        Assert.That(() => CheckpointKeys.TargetOf("encoderx.norm.weight"), Throws.ArgumentException);
    }

    [TestCase("encoder", "module.blocks.0.attn.qkv.weight", "encoder.blocks.0.attn.qkv.weight")]
    [TestCase("target_encoder", "module.norm.bias", "target_encoder.norm.bias")]
    [TestCase("predictor", "module.predictor_embed.weight", "predictor.predictor_embed.weight")]
    [TestCase("predictor", "mask_token", "predictor.mask_token")]
    public void FromUpstream_StateDictKey_OurName(string section, string key, string expected)
    {
        Assert.That(CheckpointKeys.FromUpstream(section, key), Is.EqualTo(expected));
    }

    [Test]
    public void FromUpstream_UnknownSection_Throws()
    {
        Assert.That(() => CheckpointKeys.FromUpstream("opt", "state"), Throws.ArgumentException);
    }
}
