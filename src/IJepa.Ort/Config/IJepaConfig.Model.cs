// Resolves the encoder and predictor sizes: meta.model_name, then ijepa_ort.model overrides.
using IJepa.GraphBuilder.Models;
using IJepa.Ort.Errors;

namespace IJepa.Ort.Config;

public sealed partial record IJepaConfig
{
    private const string ModelKey = "ijepa_ort.model";

    /// <summary>The encoder: <c>crop_size</c>, <c>patch_size</c>, <c>in_chans</c>, and the sizes of <c>model_name</c> or the overrides.</summary>
    /// <exception cref="ConfigException">The sizes are unknown or cannot be built; the message names the key.</exception>
    public VitSpec Encoder()
    {
        var named = VitSpec.Named(Meta.ModelName);
        var o = IJepaOrt.Model;
        if (named is null)
        {
            string[] missing = [.. new[] { ("embed_dim", o.EmbedDim), ("depth", o.Depth), ("num_heads", o.NumHeads) }
                .Where(e => e.Item2 is null).Select(e => e.Item1)];
            if (missing.Length > 0)
                throw Error("meta.model_name",
                    $"unknown model '{Meta.ModelName}' (known: vit_tiny, vit_small, vit_base, vit_large, vit_huge, vit_giant); " +
                    $"another name needs {ModelKey}.{string.Join($", {ModelKey}.", missing)}");
        }

        var spec = new VitSpec(
            Data.CropSize, Mask.PatchSize, o.InChans,
            o.EmbedDim ?? named!.Value.EmbedDim,
            o.Depth ?? named!.Value.Depth,
            o.NumHeads ?? named!.Value.NumHeads,
            o.MlpRatio ?? named?.MlpRatio ?? 4.0);

        string SizeKey(string key, bool overridden) => overridden ? $"{ModelKey}.{key}" : "meta.model_name";
        if (Data.CropSize <= 0) throw Error("data.crop_size", $"must be positive, got {Data.CropSize}");
        if (Mask.PatchSize <= 0) throw Error("mask.patch_size", $"must be positive, got {Mask.PatchSize}");
        if (Data.CropSize % Mask.PatchSize != 0)
            throw Error("mask.patch_size", $"{Mask.PatchSize} does not divide data.crop_size {Data.CropSize}");
        if (spec.InChans <= 0) throw Error($"{ModelKey}.in_chans", $"must be positive, got {spec.InChans}");
        if (spec.EmbedDim <= 0) throw Error(SizeKey("embed_dim", true), $"must be positive, got {spec.EmbedDim}");
        if (spec.Depth <= 0) throw Error(SizeKey("depth", true), $"must be positive, got {spec.Depth}");
        if (spec.NumHeads <= 0) throw Error(SizeKey("num_heads", true), $"must be positive, got {spec.NumHeads}");
        if (!(spec.MlpRatio > 0)) throw Error(SizeKey("mlp_ratio", true), $"must be positive, got {spec.MlpRatio}");
        if (spec.EmbedDim % spec.NumHeads != 0)
            throw Error(SizeKey("num_heads", o.NumHeads is not null),
                $"{spec.NumHeads} does not divide embed_dim {spec.EmbedDim}");
        if (spec.EmbedDim % 4 != 0)
            throw Error(SizeKey("embed_dim", o.EmbedDim is not null),
                $"{spec.EmbedDim} is not a multiple of 4 (the 2-D sin-cos position embedding needs one)");
        if (spec.Problem() is string problem) throw Error("meta.model_name", problem);
        return spec;
    }

    /// <summary>
    /// The predictor: <c>pred_emb_dim</c>, <c>pred_depth</c>, and <c>pred_num_heads</c> (default: the encoder's head
    /// count, as upstream's <c>init_model</c>).
    /// </summary>
    /// <exception cref="ConfigException">The sizes cannot be built; the message names the key.</exception>
    public PredictorSpec Predictor()
    {
        var encoder = Encoder();
        int? ownHeads = IJepaOrt.Model.PredNumHeads;
        var spec = new PredictorSpec(Meta.PredEmbDim, Meta.PredDepth, ownHeads ?? encoder.NumHeads);
        if (spec.PredEmbDim <= 0) throw Error("meta.pred_emb_dim", $"must be positive, got {spec.PredEmbDim}");
        if (spec.PredDepth <= 0) throw Error("meta.pred_depth", $"must be positive, got {spec.PredDepth}");
        if (spec.PredNumHeads <= 0) throw Error($"{ModelKey}.pred_num_heads", $"must be positive, got {spec.PredNumHeads}");
        if (spec.PredEmbDim % spec.PredNumHeads != 0)
            throw ownHeads is not null
                ? Error($"{ModelKey}.pred_num_heads", $"{spec.PredNumHeads} does not divide meta.pred_emb_dim {spec.PredEmbDim}")
                : Error("meta.pred_emb_dim",
                    $"{spec.PredEmbDim} is not divisible by the encoder's {spec.PredNumHeads} heads " +
                    $"(upstream's predictor reuses them; set {ModelKey}.pred_num_heads)");
        if (spec.PredEmbDim % 4 != 0)
            throw Error("meta.pred_emb_dim", $"{spec.PredEmbDim} is not a multiple of 4 (the 2-D sin-cos position embedding needs one)");
        if (spec.Problem() is string problem) throw Error("meta.pred_emb_dim", problem);
        return spec;
    }

    /// <summary>What the graph builder needs for this config, named <paramref name="preset"/>.</summary>
    public ArtifactSpec ToArtifactSpec(string preset, Precision precision = Precision.Float32)
        => new(preset, Encoder(), Predictor(), Mask.NumPredMasks, precision) { Objective = Objective() };

    /// <summary>The train step's objective: upstream's unless <c>ijepa_ort.target_blocks</c> or <c>ijepa_ort.vc_loss</c> asks for a lever.</summary>
    public TrainObjective Objective() =>
        new(IJepaOrt.TargetBlocks, IJepaOrt.VcLoss.Variance, IJepaOrt.VcLoss.Covariance);
}
