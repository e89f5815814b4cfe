// Strict, typed reading of one YAML mapping: every key is asked for by name, and anything left over is an error.
using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace IJepa.Ort.Config;

/// <summary>
/// Reads one section (<c>mask:</c>, <c>ijepa_ort.model:</c>, …) of a config. Each getter names the key and its default;
/// the keys asked for are the section's schema, so <see cref="RejectUnknown"/> reports any other key.
/// Errors name the full key path (<c>mask.patch_size</c>) and the file, or the command line for overridden keys.
/// </summary>
internal sealed class ConfigSection
{
    private readonly string _file;
    private readonly IReadOnlyList<string> _overrides;
    private readonly string _path;
    private readonly YamlMappingNode? _map;
    private readonly List<string> _known = [];

    public ConfigSection(string file, IReadOnlyList<string> overrides, string path, YamlNode? node)
    {
        _file = file;
        _overrides = overrides;
        _path = path;
        if (YamlScalars.IsNull(node)) return;
        _map = node as YamlMappingNode ?? throw Error(path, $"expected a mapping of keys, got {Describe(node!)}");
    }

    public Errors.ConfigException Error(string key, string problem) => ConfigOrigin.Error(_file, _overrides, key, problem);

    private string Key(string name) => _path.Length == 0 ? name : $"{_path}.{name}";

    /// <summary>The node under <paramref name="name"/>, or null when absent or YAML null.</summary>
    private YamlNode? Get(string name)
    {
        _known.Add(name);
        if (_map is null) return null;
        return _map.Children.TryGetValue(new YamlScalarNode(name), out var node) && !YamlScalars.IsNull(node) ? node : null;
    }

    private YamlScalarNode Scalar(string name, YamlNode node, string expected)
        => node as YamlScalarNode ?? throw Error(Key(name), $"expected {expected}, got {Describe(node)}");

    private static string Describe(YamlNode node) => node switch
    {
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        YamlScalarNode s when !YamlScalars.IsPlain(s) => $"the quoted string '{s.Value}'",
        YamlScalarNode s => $"'{s.Value}'",
        _ => node.NodeType.ToString(),
    };

    private T Required<T>(string name, T? value) where T : struct
        => value ?? throw Error(Key(name), "missing required value");

    public int Int(string name, int fallback) => NullableInt(name) ?? fallback;

    public int RequiredInt(string name) => Required(name, NullableInt(name));

    public int? NullableInt(string name)
    {
        if (Get(name) is not { } node) return null;
        var s = Scalar(name, node, "an integer");
        if (!YamlScalars.IsPlain(s) || !YamlScalars.IsInt(s.Value!)) throw Error(Key(name), $"expected an integer, got {Describe(s)}");
        if (!int.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v))
            throw Error(Key(name), $"{s.Value} is out of range");
        return v;
    }

    public ulong ULong(string name, ulong fallback)
    {
        if (Get(name) is not { } node) return fallback;
        var s = Scalar(name, node, "a non-negative integer");
        if (!YamlScalars.IsPlain(s) || !YamlScalars.IsInt(s.Value!)) throw Error(Key(name), $"expected a non-negative integer, got {Describe(s)}");
        if (!ulong.TryParse(s.Value!.TrimStart('+'), NumberStyles.None, CultureInfo.InvariantCulture, out ulong v))
            throw Error(Key(name), $"expected a non-negative integer that fits 64 bits, got {s.Value}");
        return v;
    }

    public double Double(string name, double fallback) => NullableDouble(name) ?? fallback;

    public double RequiredDouble(string name) => Required(name, NullableDouble(name));

    public double? NullableDouble(string name) => Get(name) is { } node ? Number(name, node) : null;

    private double Number(string name, YamlNode node)
    {
        var s = Scalar(name, node, "a number");
        if (!YamlScalars.IsPlain(s) || !YamlScalars.IsFloat(s.Value!)) throw Error(Key(name), $"expected a number, got {Describe(s)}");
        double v = YamlScalars.ParseFloat(s.Value!);
        if (!double.IsFinite(v)) throw Error(Key(name), $"{s.Value} is out of range");
        return v;
    }

    public bool Bool(string name, bool fallback)
    {
        if (Get(name) is not { } node) return fallback;
        var s = Scalar(name, node, "true or false");
        return (YamlScalars.IsPlain(s) ? YamlScalars.AsBool(s.Value!) : null)
            ?? throw Error(Key(name), $"expected true or false, got {Describe(s)}");
    }

    public string String(string name, string fallback) => NullableString(name) ?? fallback;

    public string? NullableString(string name)
        => Get(name) is { } node ? Scalar(name, node, "a string").Value : null;

    /// <summary>A two-element list such as <c>[0.85, 1.0]</c> (flow or block style).</summary>
    public (double, double) Pair(string name, (double, double) fallback)
    {
        var list = NullableList(name);
        if (list is null) return fallback;
        if (list.Count != 2) throw Error(Key(name), $"expected a list of two numbers, got {list.Count}");
        return (list[0], list[1]);
    }

    public IReadOnlyList<double>? NullableList(string name)
    {
        if (Get(name) is not { } node) return null;
        if (node is not YamlSequenceNode seq) throw Error(Key(name), $"expected a list of numbers, got {Describe(node)}");
        var values = new double[seq.Children.Count];
        for (int i = 0; i < values.Length; i++)
        {
            var item = seq.Children[i];
            if (YamlScalars.IsNull(item)) throw Error(Key(name), $"item {i} is null");
            values[i] = Number($"{name}[{i}]", item);
        }
        return values;
    }

    public ConfigSection Section(string name) => new(_file, _overrides, Key(name), Get(name));

    /// <summary>Fails on the first key of the mapping that no getter asked for.</summary>
    public void RejectUnknown()
    {
        if (_map is null) return;
        foreach (var (keyNode, _) in _map.Children)
        {
            string key = (keyNode as YamlScalarNode)?.Value ?? keyNode.ToString();
            if (!_known.Contains(key))
                throw Error(Key(key), $"unknown key (expected one of: {string.Join(", ", _known.Order(StringComparer.Ordinal))})");
        }
    }
}
