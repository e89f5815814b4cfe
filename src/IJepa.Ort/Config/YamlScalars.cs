// How a YAML scalar reads as null, bool, int or float: PyYAML's (YAML 1.1) resolution, which upstream's configs use.
using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace IJepa.Ort.Config;

internal static partial class YamlScalars
{
    // One difference from PyYAML: it reads `1e-6` (no dot) as a string; we read it as the number it obviously is.
    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex IntPattern();

    private static readonly HashSet<string> Nulls = ["", "~", "null", "Null", "NULL"];
    private static readonly HashSet<string> Trues = ["true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"];
    private static readonly HashSet<string> Falses = ["false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"];

    public static bool IsPlain(YamlScalarNode s) => s.Style is ScalarStyle.Plain or ScalarStyle.Any;

    public static bool IsNull(YamlNode? node) => node is null || node is YamlScalarNode s && IsPlain(s) && Nulls.Contains(s.Value ?? "");

    public static bool? AsBool(string text) => Trues.Contains(text) ? true : Falses.Contains(text) ? false : null;

    public static bool IsInt(string text) => IntPattern().IsMatch(text);

    public static bool IsFloat(string text) => FloatPattern().IsMatch(text);

    public static double ParseFloat(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>True when a plain scalar with this text would read back as something other than a string.</summary>
    public static bool LooksTyped(string text) => Nulls.Contains(text) || AsBool(text) is not null || IsFloat(text) || text.StartsWith('.');
}
