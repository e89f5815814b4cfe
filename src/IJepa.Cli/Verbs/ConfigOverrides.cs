// `--set key=value;key=value`: config overrides by key path, as train and bench take them.
using IJepa.Ort.Errors;

namespace IJepa.Cli.Verbs;

public static class ConfigOverrides
{
    public static List<KeyValuePair<string, string>> Parse(IEnumerable<string> items) => items.Select(text =>
    {
        int eq = text.IndexOf('=');
        if (eq <= 0) throw new ConfigException($"--set: '{text}' is not key=value");
        return KeyValuePair.Create(text[..eq].Trim(), text[(eq + 1)..].Trim());
    }).ToList();
}
