// Draws a generated scene with SkiaSharp: the textured background per pixel, then each shape anti-aliased.
using SkiaSharp;

namespace IJepa.Ort.Data;

public static class ScenesRenderer
{
    /// <summary>Renders <paramref name="scene"/> at <paramref name="size"/>² into <paramref name="into"/> (HWC RGB bytes).</summary>
    public static void Render(Scene scene, int size, ImageBuffer into)
    {
        var info = new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var bitmap = new SKBitmap(info);
        var pixels = bitmap.GetPixelSpan();
        DrawBackground(scene.Background, size, pixels);
        using (var canvas = new SKCanvas(bitmap))
        using (var paint = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill })
            foreach (var o in scene.Objects)
            {
                paint.Color = new SKColor(o.R, o.G, o.B);
                DrawShape(canvas, paint, o);
            }
        pixels = bitmap.GetPixelSpan();
        into.Reset(size, size, 3);
        var rgb = into.Pixels;
        for (int i = 0; i < size * size; i++)
        {
            rgb[3 * i] = pixels[4 * i];
            rgb[3 * i + 1] = pixels[4 * i + 1];
            rgb[3 * i + 2] = pixels[4 * i + 2];
        }
    }

    private static void DrawShape(SKCanvas canvas, SKPaint paint, SceneObject o)
    {
        float x = (float)o.X, y = (float)o.Y, s = (float)o.Size;
        switch (o.Kind)
        {
            case ShapeKind.Circle:
                canvas.DrawCircle(x, y, s, paint);
                break;
            case ShapeKind.Square:
            case ShapeKind.Triangle:
                int corners = o.Kind == ShapeKind.Square ? 4 : 3;
                using (var path = new SKPath())
                {
                    for (int i = 0; i < corners; i++)
                    {
                        double a = o.Rotation + 2 * Math.PI * i / corners;
                        var point = new SKPoint(x + s * (float)Math.Cos(a), y + s * (float)Math.Sin(a));
                        if (i == 0) path.MoveTo(point); else path.LineTo(point);
                    }
                    path.Close();
                    canvas.DrawPath(path, paint);
                }
                break;
        }
    }

    /// <summary>Base colour plus a zero-mean texture: per-pixel noise, stripes at an angle, or a checkerboard.</summary>
    private static void DrawBackground(SceneBackground bg, int size, Span<byte> rgba)
    {
        var noise = new DataRandom(bg.NoiseSeed);
        double cos = Math.Cos(bg.Angle), sin = Math.Sin(bg.Angle);
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                double t = bg.Texture switch
                {
                    0 => noise.Uniform(-1, 1),
                    1 => Math.Sin(2 * Math.PI * (x * cos + y * sin) / bg.Period),
                    _ => ((int)Math.Floor(x / bg.Period) + (int)Math.Floor(y / bg.Period)) % 2 == 0 ? 1 : -1,
                };
                double d = bg.Amplitude * t;
                int i = 4 * (y * size + x);
                rgba[i] = Clamp(bg.R + d);
                rgba[i + 1] = Clamp(bg.G + d);
                rgba[i + 2] = Clamp(bg.B + d);
                rgba[i + 3] = 255;
            }
    }

    private static byte Clamp(double v) => (byte)Math.Clamp((int)Math.Round(v), 0, 255);
}
