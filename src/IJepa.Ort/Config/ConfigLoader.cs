// Loads an ijepa YAML config (the official schema plus `ijepa_ort:`) strictly into an IJepaConfig.
using IJepa.Ort.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace IJepa.Ort.Config;

/// <summary>
/// Reads configs. Strict: an unknown key, a wrong type, a missing required value or an impossible value is a
/// <see cref="ConfigException"/> whose one-line message names the file and the full key
/// (<c>models/x.yaml: mask.patch_size: 5 does not divide data.crop_size 28</c>). Missing optional keys take
/// upstream's defaults (documented on each property).
/// </summary>
public static partial class ConfigLoader
{
    /// <summary>Reads and validates the config file at <paramref name="path"/>, then applies <paramref name="overrides"/> in order.</summary>
    public static IJepaConfig Load(string path, IEnumerable<KeyValuePair<string, string>>? overrides = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"{path}: cannot read the config: {OsError.Describe(e)}", e);
        }
        return Parse(text, path, overrides);
    }

    /// <summary>Parses config text; <paramref name="fileName"/> is what errors name.</summary>
    public static IJepaConfig Parse(string yaml, string fileName, IEnumerable<KeyValuePair<string, string>>? overrides = null)
    {
        var root = ReadTree(yaml, fileName);
        var keys = new List<string>();
        foreach (var (key, value) in overrides ?? [])
        {
            SetKey(root, key, value);
            keys.Add(key);
        }
        return FromTree(root, fileName, keys);
    }

    /// <summary>
    /// A copy of <paramref name="config"/> with one key replaced, e.g. <c>Override(c, "optimization.lr", "0.001")</c>.
    /// The value is YAML (<c>[0.85, 1.0]</c>, <c>null</c>, <c>true</c>); the result is validated again, and errors about
    /// the key name the command line.
    /// </summary>
    public static IJepaConfig Override(IJepaConfig config, string key, string value)
    {
        var root = ReadTree(ConfigWriter.Write(config), config.Source);
        SetKey(root, key, value);
        return FromTree(root, config.Source, [.. config.Overrides, key]);
    }

    private static YamlMappingNode ReadTree(string yaml, string fileName)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new ConfigException($"{fileName}:{e.Start.Line}:{e.Start.Column}: invalid YAML: {FirstLine(e.Message)}", e);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet's representation model throws these for some malformed documents (found by fuzzing).
            throw new ConfigException($"{fileName}: invalid YAML: {FirstLine(e.Message)}", e);
        }
        if (stream.Documents.Count > 1) throw new ConfigException($"{fileName}: expected one YAML document, found {stream.Documents.Count}");
        if (stream.Documents.Count == 0 || YamlScalars.IsNull(stream.Documents[0].RootNode)) return new YamlMappingNode();
        return stream.Documents[0].RootNode as YamlMappingNode
            ?? throw new ConfigException($"{fileName}: expected a mapping of sections (meta, data, mask, optimization, logging, ijepa_ort)");
    }

    private static string FirstLine(string message) => message.Split('\n')[0].TrimEnd('\r');

    /// <summary>Puts <paramref name="value"/> (parsed as YAML) at the dotted <paramref name="key"/>, creating mappings on the way.</summary>
    private static void SetKey(YamlMappingNode root, string key, string value)
    {
        string[] parts = key.Split('.');
        if (parts.Length < 2 || parts.Any(string.IsNullOrWhiteSpace))
            throw ConfigException.At(ConfigOrigin.CommandLine, key, "expected a full key such as optimization.lr");
        var map = root;
        for (int i = 0; i < parts.Length - 1; i++)
        {
            var name = new YamlScalarNode(parts[i]);
            if (!map.Children.TryGetValue(name, out var child) || YamlScalars.IsNull(child))
            {
                child = new YamlMappingNode();
                map.Children[name] = child;
            }
            map = child as YamlMappingNode
                ?? throw ConfigException.At(ConfigOrigin.CommandLine, key, $"{string.Join('.', parts[..(i + 1)])} is not a mapping");
        }
        map.Children[new YamlScalarNode(parts[^1])] = ParseValue(key, value);
    }

    private static YamlNode ParseValue(string key, string value)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(value));
        }
        catch (YamlException e)
        {
            throw ConfigException.At(ConfigOrigin.CommandLine, key, $"invalid YAML value '{value}': {e.Message}");
        }
        return stream.Documents.Count == 0 ? new YamlScalarNode("null") : stream.Documents[0].RootNode;
    }

    private static IJepaConfig FromTree(YamlMappingNode root, string file, IReadOnlyList<string> overrides)
    {
        var top = new ConfigSection(file, overrides, "", root);
        var meta = ReadMeta(top.Section("meta"));
        var data = ReadData(top.Section("data"));
        var mask = ReadMask(top.Section("mask"));
        var optimization = ReadOptimization(top.Section("optimization"));
        var logging = ReadLogging(top.Section("logging"));
        var ours = ReadIJepaOrt(top.Section("ijepa_ort"));
        top.RejectUnknown();
        var config = new IJepaConfig
        {
            Meta = meta, Data = data, Mask = mask, Optimization = optimization, Logging = logging, IJepaOrt = ours,
            Source = file, Overrides = overrides,
        };
        ConfigValidator.Validate(config);
        return config;
    }
}
