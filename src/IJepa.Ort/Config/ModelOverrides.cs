// `ijepa_ort.model:` — encoder/predictor sizes that replace the ones meta.model_name names.
namespace IJepa.Ort.Config;

/// <summary>
/// <c>ijepa_ort.model:</c> — each size given here replaces the one <c>meta.model_name</c> names (upstream has no
/// such section: its sizes come only from <c>model_name</c>). The small presets use it; when <c>model_name</c> is
/// not an official name, <c>embed_dim</c>, <c>depth</c> and <c>num_heads</c> are required.
/// </summary>
public sealed record ModelOverrides
{
    /// <summary><c>embed_dim</c>: encoder width. Default null (from <c>model_name</c>).</summary>
    public int? EmbedDim { get; init; }

    /// <summary><c>depth</c>: encoder blocks. Default null (from <c>model_name</c>).</summary>
    public int? Depth { get; init; }

    /// <summary><c>num_heads</c>: encoder attention heads. Default null (from <c>model_name</c>).</summary>
    public int? NumHeads { get; init; }

    /// <summary><c>mlp_ratio</c>: MLP hidden width / embed_dim. Default null (from <c>model_name</c>: 4, or 48/11 for vit_giant).</summary>
    public double? MlpRatio { get; init; }

    /// <summary><c>in_chans</c>: image channels (1 for Fashion-MNIST). Default 3.</summary>
    public int InChans { get; init; } = 3;

    /// <summary>
    /// <c>pred_num_heads</c>: predictor attention heads. Default null: the encoder's head count, as upstream's
    /// <c>init_model</c> does (it has no separate setting).
    /// </summary>
    public int? PredNumHeads { get; init; }
}
