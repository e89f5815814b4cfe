// The `meta:` section of an ijepa config (facebookresearch/ijepa configs/*.yaml, read by src/train.py).
namespace IJepa.Ort.Config;

/// <summary>
/// <c>meta:</c> — the model and checkpoint settings. Each default is upstream's; its source is named.
/// </summary>
public sealed record MetaConfig
{
    /// <summary>
    /// <c>use_bfloat16</c>: upstream trains under bfloat16 autocast (all four official configs say true). Our graphs
    /// compute in float32 (float64 for parity checks) whatever this says; it is kept so official configs load
    /// unchanged. Default false (upstream's <c>init_opt</c> default).
    /// </summary>
    public bool UseBfloat16 { get; init; }

    /// <summary>
    /// <c>model_name</c>: <c>vit_tiny</c> … <c>vit_giant</c> (sizes from <c>VitSpec.Named</c>). Another name is accepted
    /// only when <c>ijepa_ort.model</c> gives <c>embed_dim</c>, <c>depth</c> and <c>num_heads</c>.
    /// Default <c>vit_base</c> (upstream's <c>init_model</c> default).
    /// </summary>
    public string ModelName { get; init; } = "vit_base";

    /// <summary><c>load_checkpoint</c>: resume from <see cref="ReadCheckpoint"/> (or the latest checkpoint). Default false.</summary>
    public bool LoadCheckpoint { get; init; }

    /// <summary><c>read_checkpoint</c>: a checkpoint file inside the run folder, or null for the latest. Default null.</summary>
    public string? ReadCheckpoint { get; init; }

    /// <summary><c>copy_data</c>: upstream copies ImageNet to local disk first; accepted and ignored here. Default false.</summary>
    public bool CopyData { get; init; }

    /// <summary><c>pred_depth</c>: predictor depth. Default 6 (upstream's <c>init_model</c> default).</summary>
    public int PredDepth { get; init; } = 6;

    /// <summary><c>pred_emb_dim</c>: predictor width. Default 384 (upstream's <c>init_model</c> default).</summary>
    public int PredEmbDim { get; init; } = 384;
}
