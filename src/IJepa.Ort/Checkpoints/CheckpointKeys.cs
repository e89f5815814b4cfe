// Tensor names in a checkpoint file: the one place that spells them.
//
// Model tensors keep the official ijepa state-dict keys under the section they are saved in upstream
// (facebookresearch/ijepa src/train.py save_checkpoint: checkpoint['encoder'], ['predictor'],
// ['target_encoder']), e.g. "encoder.blocks.3.attn.qkv.weight", "predictor.mask_token",
// "target_encoder.norm.weight". Adam moments are "opt.m.<parameter>" and "opt.v.<parameter>" for each
// trainable parameter (encoder.* and predictor.*); the step count for bias correction is the
// checkpoint's step (CheckpointMeta.Step).
//
// Upstream compatibility: an upstream .pth.tar is a Python pickle, which we do not read. Its tensors map
// one to one onto ours: checkpoint[section][key] is "<section>." + key with DDP's "module." prefix
// stripped (FromUpstream), so a converter (e.g. a few lines of Python writing safetensors) can carry
// weights across. Upstream state dicts also hold the fixed sin-cos tables "pos_embed" and
// "predictor_pos_embed" (buffers with requires_grad=False); they are recomputed, not trained. Upstream's
// optimizer state is keyed by parameter index (exp_avg, exp_avg_sq per param group order), not by name,
// so moments need that order to be mapped; no such converter is provided yet.
namespace IJepa.Ort.Checkpoints;

public static class CheckpointKeys
{
    public const string Encoder = "encoder";
    public const string Predictor = "predictor";
    public const string TargetEncoder = "target_encoder";

    /// <summary>Prefix of Adam's first moment: "opt.m." + parameter name.</summary>
    public const string AdamMPrefix = "opt.m.";
    /// <summary>Prefix of Adam's second moment: "opt.v." + parameter name.</summary>
    public const string AdamVPrefix = "opt.v.";

    /// <summary>The prefix DistributedDataParallel adds to every key of a wrapped module's state dict.</summary>
    public const string DdpPrefix = "module.";

    public static string AdamM(string parameter) => AdamMPrefix + parameter;
    public static string AdamV(string parameter) => AdamVPrefix + parameter;

    /// <summary>The target-encoder twin of an encoder parameter: "encoder.norm.weight" → "target_encoder.norm.weight".</summary>
    public static string TargetOf(string encoderParameter) =>
        encoderParameter.StartsWith(Encoder + ".", StringComparison.Ordinal)
            ? TargetEncoder + encoderParameter[Encoder.Length..]
            : throw new ArgumentException($"'{encoderParameter}' is not an encoder parameter", nameof(encoderParameter));

    /// <summary>Our name for <c>checkpoint[section][stateDictKey]</c> of an upstream checkpoint:
    /// ("encoder", "module.blocks.0.attn.qkv.weight") → "encoder.blocks.0.attn.qkv.weight".</summary>
    public static string FromUpstream(string section, string stateDictKey)
    {
        if (section is not (Encoder or Predictor or TargetEncoder))
            throw new ArgumentException($"'{section}' is not an upstream checkpoint section (encoder, predictor, target_encoder)", nameof(section));
        string key = stateDictKey.StartsWith(DdpPrefix, StringComparison.Ordinal) ? stateDictKey[DdpPrefix.Length..] : stateDictKey;
        return section + "." + key;
    }
}
