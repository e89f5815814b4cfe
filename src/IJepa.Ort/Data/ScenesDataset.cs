// The generated scenes as an IImageDataset: labels come from the layout alone, pixels are rendered on demand.
namespace IJepa.Ort.Data;

/// <summary>
/// <see cref="ScenesOptions.TrainCount"/> or <see cref="ScenesOptions.TestCount"/> RGB scenes (the splits use different
/// streams), labelled for <see cref="Task"/>. Nothing is stored: any worker renders any index, identically.
/// </summary>
public sealed class ScenesDataset(ScenesOptions options, DataSplit split, SceneTask task = SceneTask.Count) : IImageDataset
{
    public ScenesOptions Options { get; } = options;
    public DataSplit Split { get; } = split;
    public SceneTask Task { get; } = task;

    public int Count => Options.CountOf(Split);
    public int Channels => 3;
    public int NumClasses => Options.NumClasses(Task);
    public IReadOnlyList<string> ClassNames => Options.ClassNames(Task);
    public string Source => $"scenes (seed {Options.Seed}, {Split.ToString().ToLowerInvariant()}, {Options.ImageSize}px)";
    public int SkippedCount => 0;

    /// <summary>The same images labelled for another task.</summary>
    public ScenesDataset WithTask(SceneTask task) => new(Options, Split, task);

    public Scene Scene(int index) => SceneGenerator.Layout(Options, Split, index);

    public int Label(int index) => SceneGenerator.Label(Scene(index), Options, Task);

    public bool TryLoad(int index, ImageBuffer into)
    {
        ScenesRenderer.Render(Scene(index), Options.ImageSize, into);
        return true;
    }
}
