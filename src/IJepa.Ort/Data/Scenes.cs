// Generated scenes for probing low-level understanding (the paper's Clevr/Count and Clevr/Dist, in miniature): 3–10
// simple shapes of random colour, size and position on a textured background. Every scene is a pure function of
// (seed, split, index): the layout here, the pixels in ScenesRenderer.
namespace IJepa.Ort.Data;

/// <summary>What a scene's label measures: how many objects it holds, or how large its largest object is (a depth proxy).</summary>
public enum SceneTask { Count, Size }

public enum ShapeKind { Circle, Square, Triangle }

/// <summary>One object: its kind, centre and size (the radius of its bounding circle, in pixels) and colour.</summary>
public readonly record struct SceneObject(ShapeKind Kind, double X, double Y, double Size, double Rotation, byte R, byte G, byte B);

/// <summary>The background: a base colour and a texture (0 noise, 1 stripes, 2 checks) of a given contrast.</summary>
public readonly record struct SceneBackground(byte R, byte G, byte B, int Texture, double Amplitude, double Period, double Angle, ulong NoiseSeed);

/// <summary>A whole scene and its two labels.</summary>
public sealed record Scene(SceneBackground Background, IReadOnlyList<SceneObject> Objects, int SizeClass)
{
    public int Count => Objects.Count;
}

/// <summary>The knobs of the generator; the defaults are the ones every probe and preset uses.</summary>
public sealed record ScenesOptions
{
    public int ImageSize { get; init; } = 32;
    public int TrainCount { get; init; } = 50_000;
    public int TestCount { get; init; } = 10_000;
    public ulong Seed { get; init; }
    public int MinObjects { get; init; } = 3;
    public int MaxObjects { get; init; } = 10;
    /// <summary>Classes of the size task: the largest object's size, in equal bins of [MinLargest, MaxLargest)·ImageSize.</summary>
    public int SizeClasses { get; init; } = 4;
    public double MinLargest { get; init; } = 0.09;
    public double MaxLargest { get; init; } = 0.25;
    /// <summary>Every other object's size, as a fraction of the image side, lies in [MinSize, its bound).</summary>
    public double MinSize { get; init; } = 0.06;
    public double MaxOther { get; init; } = 0.13;

    public int CountOf(DataSplit split) => split == DataSplit.Train ? TrainCount : TestCount;
    public int NumClasses(SceneTask task) => task == SceneTask.Count ? MaxObjects - MinObjects + 1 : SizeClasses;

    public IReadOnlyList<string> ClassNames(SceneTask task) => task == SceneTask.Count
        ? Enumerable.Range(MinObjects, MaxObjects - MinObjects + 1).Select(n => $"{n} objects").ToArray()
        : Enumerable.Range(0, SizeClasses).Select(b => $"largest {Bin(b):F1}–{Bin(b + 1):F1} px").ToArray();

    /// <summary>The lower edge of size bin <paramref name="b"/> in pixels.</summary>
    public double Bin(int b) => (MinLargest + (MaxLargest - MinLargest) * b / SizeClasses) * ImageSize;
}

public static class SceneGenerator
{
    private const ulong LayoutStream = 0x5343454E4553UL;
    private const int PlacementTries = 200;

    /// <summary>
    /// The layout of scene <paramref name="index"/>: the object count and the largest object's size bin are drawn
    /// uniformly (balanced classes), the largest object first, the others strictly smaller, placed without overlap
    /// (bounding circles 1 px apart; an object that finds no room after many tries shrinks, and is placed anyway at
    /// the smallest size, so the count is always exact).
    /// </summary>
    public static Scene Layout(ScenesOptions o, DataSplit split, int index)
    {
        var rng = DataRandom.For(o.Seed ^ LayoutStream, (long)split, index);
        int count = o.MinObjects + rng.NextInt(o.MaxObjects - o.MinObjects + 1);
        int sizeClass = rng.NextInt(o.SizeClasses);
        double side = o.ImageSize;
        double largest = rng.Uniform(o.Bin(sizeClass), o.Bin(sizeClass + 1));
        var background = new SceneBackground(
            (byte)rng.NextInt(160), (byte)rng.NextInt(160), (byte)rng.NextInt(160), rng.NextInt(3),
            rng.Uniform(8, 28), rng.Uniform(2.5, 6), rng.Uniform(0, Math.PI), rng.NextUInt64());

        var objects = new List<SceneObject>(count);
        for (int i = 0; i < count; i++)
        {
            double size = i == 0 ? largest : rng.Uniform(o.MinSize * side, Math.Min(o.MaxOther * side, largest - 0.5));
            objects.Add(Place(ref rng, objects, size, o.MinSize * side, side));
        }
        return new Scene(background, objects, sizeClass);
    }

    public static int Label(Scene scene, ScenesOptions o, SceneTask task) =>
        task == SceneTask.Count ? scene.Count - o.MinObjects : scene.SizeClass;

    private static SceneObject Place(ref DataRandom rng, List<SceneObject> placed, double size, double minSize, double side)
    {
        var kind = (ShapeKind)rng.NextInt(3);
        double rotation = rng.Uniform(0, 2 * Math.PI);
        var (r, g, b) = Vivid(ref rng);
        double x = 0, y = 0;
        for (int attempt = 0; ; attempt++)
        {
            x = rng.Uniform(size, side - size);
            y = rng.Uniform(size, side - size);
            if (Free(placed, x, y, size) || attempt >= 4 * PlacementTries) break;
            if (attempt % PlacementTries == PlacementTries - 1) size = Math.Max(minSize, size * 0.8);
        }
        return new SceneObject(kind, x, y, size, rotation, r, g, b);
    }

    private static bool Free(List<SceneObject> placed, double x, double y, double size)
    {
        foreach (var p in placed)
        {
            double dx = p.X - x, dy = p.Y - y, gap = p.Size + size + 1;
            if (dx * dx + dy * dy < gap * gap) return false;
        }
        return true;
    }

    /// <summary>A saturated, bright colour (HSV with S, V in [0.7, 1]), so objects stand out from the duller background.</summary>
    private static (byte R, byte G, byte B) Vivid(ref DataRandom rng)
    {
        double h = rng.Uniform(0, 6), s = rng.Uniform(0.7, 1), v = rng.Uniform(0.7, 1);
        double c = v * s, xx = c * (1 - Math.Abs(h % 2 - 1)), m = v - c;
        var (r, g, b) = (int)h switch
        {
            0 => (c, xx, 0.0), 1 => (xx, c, 0.0), 2 => (0.0, c, xx), 3 => (0.0, xx, c), 4 => (xx, 0.0, c), _ => (c, 0.0, xx),
        };
        return ((byte)Math.Round((r + m) * 255), (byte)Math.Round((g + m) * 255), (byte)Math.Round((b + m) * 255));
    }
}
