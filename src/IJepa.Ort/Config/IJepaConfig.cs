// A resolved I-JEPA config: upstream's five sections (facebookresearch/ijepa configs/*.yaml) plus `ijepa_ort:`.
using IJepa.Ort.Errors;

namespace IJepa.Ort.Config;

/// <summary>
/// A loaded, validated config. <see cref="ConfigLoader"/> reads one (strictly: unknown keys, wrong types and impossible
/// values are <see cref="ConfigException"/>s), <see cref="ConfigWriter"/> writes one back in the official layout.
/// </summary>
public sealed partial record IJepaConfig
{
    public MetaConfig Meta { get; init; } = new();
    public required DataConfig Data { get; init; }
    public MaskConfig Mask { get; init; } = new();
    public required OptimizationConfig Optimization { get; init; }
    public LoggingConfig Logging { get; init; } = new();

    /// <summary>The <c>ijepa_ort:</c> section: this project's settings.</summary>
    public IJepaOrtConfig IJepaOrt { get; init; } = new();

    /// <summary>The file the config came from; errors found later (e.g. by <see cref="ToArtifactSpec"/>) name it.</summary>
    public string Source { get; init; } = "config";

    /// <summary>The keys set by <see cref="Override"/> (errors about them name the command line, not <see cref="Source"/>).</summary>
    internal IReadOnlyList<string> Overrides { get; init; } = [];

    internal ConfigException Error(string key, string problem) => ConfigOrigin.Error(Source, Overrides, key, problem);

    /// <summary>Patches per image side: <c>crop_size / patch_size</c>.</summary>
    public int GridSize => Data.CropSize / Mask.PatchSize;

    /// <summary>
    /// Iterations per epoch for a data set of <paramref name="datasetSize"/> images: ⌊size / batch_size⌋ (upstream's
    /// <c>len(loader)</c> with <c>drop_last=True</c> on one process), capped by <c>ijepa_ort.ipe</c> when set.
    /// The schedules are laid out over this many steps per epoch.
    /// </summary>
    public int IterationsPerEpoch(long datasetSize)
    {
        long full = datasetSize / Data.BatchSize;
        if (full < 1)
            throw Error("data.batch_size", $"{Data.BatchSize} is larger than the data set ({datasetSize} images)");
        long ipe = IJepaOrt.Ipe is int cap ? Math.Min(cap, full) : full;
        return (int)Math.Min(ipe, int.MaxValue);
    }

    /// <summary>Override one key by its full path, e.g. <c>Override("optimization.lr", "0.001")</c>; see <see cref="ConfigLoader.Override"/>.</summary>
    public IJepaConfig Override(string key, string value) => ConfigLoader.Override(this, key, value);
}
