// The `logging:` section of an ijepa config (facebookresearch/ijepa src/train.py).
namespace IJepa.Ort.Config;

/// <summary><c>logging:</c> — where a run writes.</summary>
public sealed record LoggingConfig
{
    /// <summary><c>folder</c>: the run folder; the CLI's <c>--out</c> takes precedence. Default null (the CLI picks <c>runs/NAME</c>).</summary>
    public string? Folder { get; init; }

    /// <summary><c>write_tag</c>: upstream's file-name prefix (<c>jepa_r0.csv</c>, <c>jepa-latest.pth.tar</c>). Default <c>jepa</c>.</summary>
    public string WriteTag { get; init; } = "jepa";
}
