// How frozen encoder tokens become what a probe sees: the average over patches (the paper's protocol), a coarse grid of
// averages, or an attentive probe over all tokens. Every encoder of a probe run (and the baselines) gets the same readouts.
using System.Globalization;
using IJepa.Ort.Errors;

namespace IJepa.Ort.Evaluation;

public enum ReadoutKind { Mean, Grid, Attentive }

/// <summary>A readout: <c>mean</c>, <c>grid:K</c> (K×K regions of the patch grid, each averaged, concatenated), or <c>attentive</c>.</summary>
public sealed record ProbeReadout(ReadoutKind Kind, int Grid = 0)
{
    public static readonly ProbeReadout Mean = new(ReadoutKind.Mean);
    public static readonly ProbeReadout Attentive = new(ReadoutKind.Attentive);

    /// <summary>The raw-pixel baseline's name for <see cref="Mean"/>: the flattened pixels, the reference row.</summary>
    public const string FlatPixels = "flat";

    public string Name => Kind switch
    {
        ReadoutKind.Grid => $"grid:{Grid.ToString(CultureInfo.InvariantCulture)}",
        ReadoutKind.Attentive => "attentive",
        _ => "mean",
    };

    /// <summary>Whether it needs the patch tokens [N, D] rather than the pooled output.</summary>
    public bool NeedsTokens => Kind != ReadoutKind.Mean;

    public override string ToString() => Name;

    /// <summary>A comma list (<c>mean,grid:2,attentive</c>), in order, without repeats; <c>mean</c> first whether named or not.</summary>
    public static IReadOnlyList<ProbeReadout> ParseList(string text) =>
        WithMeanFirst(text.Split(',', StringSplitOptions.TrimEntries).Select(Parse));

    /// <summary><paramref name="readouts"/> in order without repeats, after <see cref="Mean"/> (the paper's protocol, always reported).</summary>
    public static IReadOnlyList<ProbeReadout> WithMeanFirst(IEnumerable<ProbeReadout> readouts) => readouts.Prepend(Mean).Distinct().ToList();

    public static ProbeReadout Parse(string text)
    {
        string t = text.Trim().ToLowerInvariant();
        if (t == "mean") return Mean;
        if (t == "attentive") return Attentive;
        if (t.StartsWith("grid:", StringComparison.Ordinal))
            return int.TryParse(t[5..], NumberStyles.None, CultureInfo.InvariantCulture, out int k) && k >= 1
                ? new ProbeReadout(ReadoutKind.Grid, k)
                : throw new ConfigException($"--readout: '{text}' needs a positive whole number of regions per side, as in grid:2");
        throw new ConfigException($"--readout: '{text}' is not mean, grid:K or attentive");
    }
}
