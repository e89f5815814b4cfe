// The sizes of the I-JEPA models (facebookresearch/ijepa src/models/vision_transformer.py).
namespace IJepa.GraphBuilder.Models;

/// <summary>A Vision Transformer encoder: image geometry and width/depth/heads.</summary>
public sealed record VitSpec(
    int ImgSize, int PatchSize, int InChans, int EmbedDim, int Depth, int NumHeads,
    double MlpRatio = 4.0, bool QkvBias = true, double LayerNormEps = 1e-6)
{
    public int GridSize => ImgSize / PatchSize;
    public int NumPatches => GridSize * GridSize;
    public int HeadDim => EmbedDim / NumHeads;
    public int MlpHidden => (int)(EmbedDim * MlpRatio);
    public int PatchDim => InChans * PatchSize * PatchSize;

    /// <summary>The official sizes by ijepa's <c>model_name</c>: (embed_dim, depth, num_heads, mlp_ratio).</summary>
    public static (int EmbedDim, int Depth, int NumHeads, double MlpRatio)? Named(string modelName) => modelName switch
    {
        "vit_tiny" => (192, 12, 3, 4.0),
        "vit_small" => (384, 12, 6, 4.0),
        "vit_base" => (768, 12, 12, 4.0),
        "vit_large" => (1024, 24, 16, 4.0),
        "vit_huge" => (1280, 32, 16, 4.0),
        "vit_giant" => (1408, 40, 16, 48.0 / 11.0),
        _ => null,
    };

    /// <summary>Why this spec cannot be built, or null when it can.</summary>
    public string? Problem()
    {
        if (PatchSize <= 0 || ImgSize <= 0) return "image and patch size must be positive";
        if (ImgSize % PatchSize != 0) return $"image size {ImgSize} is not divisible by patch size {PatchSize}";
        if (EmbedDim <= 0 || Depth <= 0 || NumHeads <= 0) return "embed_dim, depth and num_heads must be positive";
        if (EmbedDim % NumHeads != 0) return $"embed_dim {EmbedDim} is not divisible by num_heads {NumHeads}";
        if (EmbedDim % 4 != 0) return $"embed_dim {EmbedDim} must be a multiple of 4 (2-D sin-cos position embedding)";
        if (InChans <= 0) return "in_chans must be positive";
        return null;
    }
}

/// <summary>The predictor: a narrow ViT over context tokens plus mask tokens.</summary>
public sealed record PredictorSpec(int PredEmbDim, int PredDepth, int PredNumHeads)
{
    public string? Problem()
    {
        if (PredEmbDim <= 0 || PredDepth <= 0 || PredNumHeads <= 0) return "pred_emb_dim, pred_depth and pred_num_heads must be positive";
        if (PredEmbDim % PredNumHeads != 0) return $"pred_emb_dim {PredEmbDim} is not divisible by pred_num_heads {PredNumHeads}";
        if (PredEmbDim % 4 != 0) return $"pred_emb_dim {PredEmbDim} must be a multiple of 4 (2-D sin-cos position embedding)";
        return null;
    }
}

/// <summary>Element type of the generated training graphs (float64 is for gradient checks and parity).</summary>
public enum Precision { Float32, Float64 }

/// <summary>
/// Everything the artifact recipes need: the two networks, the number of target blocks, the precision, and the
/// objective (upstream's unless a lever is on).
/// </summary>
public sealed record ArtifactSpec(string Preset, VitSpec Encoder, PredictorSpec Predictor, int NumPredMasks, Precision Precision = Precision.Float32)
{
    public TrainObjective Objective { get; init; } = TrainObjective.Upstream;
}
