// The parameter list of the reference step: official ijepa state-dict keys with torch shapes.
using IJepa.GraphBuilder.Models;

namespace IJepa.GraphBuilder.Tests.Reference;

/// <summary>One parameter tensor: state-dict key and torch shape (row-major).</summary>
public sealed record ReferenceParameter(string Key, int[] Shape)
{
    public int Count => Shape.Aggregate(1, (a, b) => a * b);

    /// <summary>encoder.* and predictor.* are trained; target_encoder.* is stop-gradient (updated by EMA only).</summary>
    public bool Trainable => !Key.StartsWith(ReferenceParameters.TargetEncoder + ".", StringComparison.Ordinal);

    public override string ToString() => $"{Key} [{string.Join(", ", Shape)}]";
}

/// <summary>Every parameter of encoder, predictor and target encoder; the fixed position tables are not parameters.</summary>
public static class ReferenceParameters
{
    public const string Encoder = "encoder", TargetEncoder = "target_encoder", Predictor = "predictor";

    public static IReadOnlyList<ReferenceParameter> For(VitSpec encoder, PredictorSpec predictor)
    {
        var list = new List<ReferenceParameter>();
        AddVit(list, Encoder, encoder);
        AddPredictor(list, encoder, predictor);
        AddVit(list, TargetEncoder, encoder);
        return list;
    }

    private static void AddVit(List<ReferenceParameter> list, string prefix, VitSpec e)
    {
        int d = e.EmbedDim;
        list.Add(new($"{prefix}.patch_embed.proj.weight", [d, e.InChans, e.PatchSize, e.PatchSize]));
        list.Add(new($"{prefix}.patch_embed.proj.bias", [d]));
        for (int i = 0; i < e.Depth; i++) AddBlock(list, $"{prefix}.blocks.{i}", d, e.MlpHidden, e.QkvBias);
        AddNorm(list, $"{prefix}.norm", d);
    }

    // Upstream's predictor shares the encoder's mlp_ratio, qkv_bias and LayerNorm eps.
    private static void AddPredictor(List<ReferenceParameter> list, VitSpec e, PredictorSpec p)
    {
        int d = e.EmbedDim, dp = p.PredEmbDim;
        list.Add(new($"{Predictor}.predictor_embed.weight", [dp, d]));
        list.Add(new($"{Predictor}.predictor_embed.bias", [dp]));
        list.Add(new($"{Predictor}.mask_token", [1, 1, dp]));
        for (int i = 0; i < p.PredDepth; i++) AddBlock(list, $"{Predictor}.predictor_blocks.{i}", dp, PredictorHidden(e, p), e.QkvBias);
        AddNorm(list, $"{Predictor}.predictor_norm", dp);
        list.Add(new($"{Predictor}.predictor_proj.weight", [d, dp]));
        list.Add(new($"{Predictor}.predictor_proj.bias", [d]));
    }

    internal static int PredictorHidden(VitSpec e, PredictorSpec p) => (int)(p.PredEmbDim * e.MlpRatio);

    private static void AddBlock(List<ReferenceParameter> list, string prefix, int d, int hidden, bool qkvBias)
    {
        AddNorm(list, $"{prefix}.norm1", d);
        list.Add(new($"{prefix}.attn.qkv.weight", [3 * d, d]));
        if (qkvBias) list.Add(new($"{prefix}.attn.qkv.bias", [3 * d]));
        list.Add(new($"{prefix}.attn.proj.weight", [d, d]));
        list.Add(new($"{prefix}.attn.proj.bias", [d]));
        AddNorm(list, $"{prefix}.norm2", d);
        list.Add(new($"{prefix}.mlp.fc1.weight", [hidden, d]));
        list.Add(new($"{prefix}.mlp.fc1.bias", [hidden]));
        list.Add(new($"{prefix}.mlp.fc2.weight", [d, hidden]));
        list.Add(new($"{prefix}.mlp.fc2.bias", [d]));
    }

    private static void AddNorm(List<ReferenceParameter> list, string prefix, int d)
    {
        list.Add(new($"{prefix}.weight", [d]));
        list.Add(new($"{prefix}.bias", [d]));
    }
}
