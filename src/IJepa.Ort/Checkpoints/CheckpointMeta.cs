// What a checkpoint records besides tensors, and how it is spelled in the safetensors __metadata__
// (string to string, so numbers are invariant-culture decimal text).
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

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
        SeedKey = "seed", ConfigKey = "config_yaml", PresetHashKey = "preset_hash", ExtraPrefix = "extra.";

    /// <summary>SHA-256 of the data region, as `tail -c +$((9 + header length)) FILE | sha256sum` prints it.</summary>
    internal const string DataSha256Key = "data_sha256";
    /// <summary>SHA-256 over every other metadata entry (<see cref="MetadataSha256"/>), so that a flipped bit in
    /// the step or the config is caught too. The tensor table needs none: a flip there breaks its layout rules.</summary>
    internal const string MetadataSha256Key = "metadata_sha256";

    /// <summary>All entries, with both checksums, for the safetensors header.</summary>
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
            [DataSha256Key] = dataSha256,
        };
        foreach (var (k, v) in Extra) m[ExtraPrefix + k] = v;
        m[MetadataSha256Key] = MetadataSha256(m);
        return m;
    }

    /// <summary>Hex SHA-256 of "key\0value\0" for every entry but <see cref="MetadataSha256Key"/>, keys in ordinal order.</summary>
    internal static string MetadataSha256(IReadOnlyDictionary<string, string> metadata)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var key in metadata.Keys.Where(k => k != MetadataSha256Key).Order(StringComparer.Ordinal))
            hash.AppendData(Encoding.UTF8.GetBytes(key + "\0" + metadata[key] + "\0"));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Reads the fields back; <paramref name="fail"/> makes the error for a missing or malformed key.</summary>
    internal static CheckpointMeta FromMetadata(IReadOnlyDictionary<string, string> m, Func<string, Exception> fail)
    {
        string Get(string key) => m.TryGetValue(key, out var v) ? v : throw fail($"__metadata__ has no '{key}'");
        long Number(string key) => long.TryParse(Get(key), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long x)
            ? x : throw fail($"__metadata__ '{key}' is not an integer: {ShapeText.Quote(Get(key))}");
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
