// manifest.json: the contract between the graph files and the runtime (docs/architecture.md §3).
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IJepa.GraphBuilder.Core;
using IJepa.GraphBuilder.Models;
using N = IJepa.GraphBuilder.Recipes.ArtifactNames;

namespace IJepa.GraphBuilder.Recipes;

/// <summary>Which flat buffer holds a parameter: the trained ones, the EMA target encoder, or the fixed position tables.</summary>
public enum ParamBuffer { Trainable, Target, Frozen }

/// <summary>One parameter: official name, shape, role, trainability, weight decay, init, and its place in its buffer.</summary>
public sealed record ManifestParameter(
    string Name, long[] Shape, DType Type, string Role, bool Trainable, bool WeightDecay, InitRule Init, ParamBuffer Buffer, long Offset)
{
    public long Count => Shape.Aggregate(1L, (a, b) => a * b);
}

public sealed record ManifestValue(string Name, DType Type, string[] Dims);

public sealed record ManifestGraph(string File, ManifestValue[] Inputs, ManifestValue[] Outputs);

public sealed record Manifest(
    int SchemaVersion, string Preset, string PresetHash, ArtifactSpec Spec,
    IReadOnlyList<ManifestParameter> Parameters, IReadOnlyDictionary<ParamBuffer, long> BufferLengths,
    IReadOnlyDictionary<string, ManifestGraph> Graphs)
{
    public const int CurrentSchema = 1;
    /// <summary>Every tensor starts on a 64-byte boundary of its flat buffer.</summary>
    public const int AlignmentBytes = 64;

    public ManifestParameter this[string name] => Parameters.FirstOrDefault(p => p.Name == name)
        ?? throw new KeyNotFoundException($"manifest has no parameter {name}");

    /// <summary>Lays out the train graph's parameters: trainable = encoder then predictor; target mirrors the encoder.</summary>
    public static Manifest Create(ArtifactSpec spec, Graph trainStep, IReadOnlyDictionary<string, Graph> graphs)
    {
        var type = spec.Precision == Precision.Float64 ? DType.Double : DType.Float;
        long align = AlignmentBytes / type.SizeInBytes();
        var next = new Dictionary<ParamBuffer, long> { [ParamBuffer.Trainable] = 0, [ParamBuffer.Target] = 0, [ParamBuffer.Frozen] = 0 };
        var parameters = new List<ManifestParameter>();
        foreach (var p in trainStep.Parameters)
        {
            string role = p.Name[..p.Name.IndexOf('.')];
            var buffer = p.Init == InitRule.SinCos2D ? ParamBuffer.Frozen : role == N.TargetScope ? ParamBuffer.Target : ParamBuffer.Trainable;
            long offset = next[buffer];
            next[buffer] = (offset + p.Count + align - 1) / align * align;
            parameters.Add(new ManifestParameter(p.Name, p.Dims, p.Value.Type, role, p.Trainable, p.WeightDecay, p.Init, buffer, offset));
        }
        var described = graphs.ToDictionary(kv => kv.Key, kv => Describe(kv.Key, kv.Value));
        return new Manifest(CurrentSchema, spec.Preset, Hash(spec), spec, parameters, next, described);
    }

    /// <summary>
    /// SHA-256 of the spec's canonical text: the identity of a preset's graphs (and of the checkpoints trained with
    /// them). A non-upstream objective is appended, so upstream's text, and every existing hash, stay as they were.
    /// </summary>
    public static string Hash(ArtifactSpec spec)
    {
        var e = spec.Encoder;
        var p = spec.Predictor;
        var o = spec.Objective;
        var text = FormattableString.Invariant(
            $"img={e.ImgSize};patch={e.PatchSize};chans={e.InChans};dim={e.EmbedDim};depth={e.Depth};heads={e.NumHeads};mlp={e.MlpRatio:R};qkv_bias={e.QkvBias};eps={e.LayerNormEps:R};pred={p.PredEmbDim}/{p.PredDepth}/{p.PredNumHeads};npred={spec.NumPredMasks};precision={spec.Precision}");
        if (!o.IsUpstream)
            text += FormattableString.Invariant($";target_blocks={o.TargetBlocks};vc={o.VarianceWeight:R}/{o.CovarianceWeight:R}");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private static ManifestGraph Describe(string file, Graph g) => new(
        file,
        g.Inputs.Select(v => new ManifestValue(v.Name, v.Type, v.Shape.Select(d => d.ToString()).ToArray())).ToArray(),
        g.Outputs.Select(o => new ManifestValue(o.Name, o.Value.Type, o.Value.Shape.Select(d => d.ToString()).ToArray())).ToArray());
}
