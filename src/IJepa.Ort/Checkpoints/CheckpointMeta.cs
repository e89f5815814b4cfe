// What a checkpoint records besides tensors, and how it is spelled in the safetensors __metadata__
// (string to string, so numbers are invariant-culture decimal text).
using System.Globalization;

namespace IJepa.Ort.Checkpoints;

/// <summary>
/// Training state that is not a tensor. <see cref="Step"/> is the number of optimizer steps taken (Adam's
/// bias-correction count); <see cref="Epoch"/> the number of epochs completed; <see cref="Seed"/> the run's
/// base seed, from which the mask, data and init generators derive (the mask generator is reseeded from the
/// step counter, as upstream's collator does). <see cref="Extra"/> carries anything else, e.g. generator
/// states ("rng.data"), stored under "extra.&lt;key&gt;".
/// </summary>
public sealed record CheckpointMeta
{
    public required long Step { get; init; }
    public required int Epoch { get; init; }
    public long Seed { get; init; }
    /// <summary>The resolved config, as written to the run folder's config.yaml.</summary>
    public string ConfigYaml { get; init; } = "";
    /// <summary>The graph manifest's preset hash: the tensors fit graphs with this hash.</summary>
    public string PresetHash { get; init; } = "";
    public IReadOnlyDictionary<string, string> Extra { get; init; } = new Dictionary<string, string>();

    /// <summary>Identifies our checkpoints among other safetensors files.</summary>
    internal const string Format = "ijepa-ort.checkpoint";
    /// <summary>Bumped when the layout changes; a reader refuses newer versions.</summary>
    internal const int CurrentFormatVersion = 1;

    internal const string FormatKey = "format", VersionKey = "format_version", StepKey = "step", EpochKey = "epoch",
        SeedKey = "seed", ConfigKey = "config_yaml", PresetHashKey = "preset_hash", Sha256Key = "data_sha256",
        ExtraPrefix = "extra.";

    internal Dictionary<string, string> ToMetadata(string dataSha256) 
    {
        var m = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [FormatKey] = Format,
            [VersionKey] = CurrentFormatVersion.ToString(CultureInfo.InvariantCulture),
            [StepKey] = Step.ToString(CultureInfo.InvariantCulture),
            [EpochKey] = Epoch.ToString(CultureInfo.InvariantCulture),
            [SeedKey] = Seed.ToString(CultureInfo.InvariantCulture),
            [ConfigKey] = ConfigYaml,
            [PresetHashKey] = PresetHash,
            [Sha256Key] = dataSha256,
        };
        foreach (var (k, v) in Extra) m[ExtraPrefix + k] = v;
        return m;
    }

    /// <summary>Reads the fields back; <paramref name="fail"/> makes the error for a missing or malformed key.</summary>
    internal static CheckpointMeta FromMetadata(IReadOnlyDictionary<string, string> m, Func<string, Exception> fail)
    {
        string Get(string key) => m.TryGetValue(key, out var v) ? v : throw fail($"__metadata__ has no '{key}'");
        long Number(string key) => long.TryParse(Get(key), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long x)
            ? x : throw fail($"__metadata__ '{key}' is not an integer: '{Get(key)}'");
        long epoch = Number(EpochKey);
        if (epoch is < 0 or > int.MaxValue) throw fail($"__metadata__ '{EpochKey}' out of range: {epoch}");
        return new CheckpointMeta
        {
            Step = Number(StepKey),
            Epoch = (int)epoch,
            Seed = Number(SeedKey),
            ConfigYaml = Get(ConfigKey),
            PresetHash = Get(PresetHashKey),
            Extra = m.Where(kv => kv.Key.StartsWith(ExtraPrefix, StringComparison.Ordinal))
                     .ToDictionary(kv => kv.Key[ExtraPrefix.Length..], kv => kv.Value, StringComparer.Ordinal),
        };
    }
}

/// <summary>A float32 tensor to save: its checkpoint name (see <see cref="CheckpointKeys"/>), shape and data,
/// typically a view into a parameter store's flat buffer.</summary>
public readonly record struct NamedTensor(string Name, long[] Shape, ReadOnlyMemory<float> Data);
