// `ijepa-ort data fetch fashion-mnist [--out data/fashion-mnist]`.
using CommandLine;
using IJepa.Ort.Data;
using IJepa.Ort.Errors;

namespace IJepa.Cli.Verbs;

[Verb("data", HelpText = "Data sets: `data fetch fashion-mnist [--out DIR]`.")]
public sealed class DataOptions : CommonOptions
{
    [Value(0, MetaName = "action", Required = true, HelpText = "fetch")]
    public string Action { get; set; } = "";

    [Value(1, MetaName = "dataset", Required = true, HelpText = "fashion-mnist")]
    public string Dataset { get; set; } = "";

    [Option("out", HelpText = "Output folder (default data/fashion-mnist).")]
    public string? Out { get; set; }
}

public static class DataVerb
{
    public static int Run(DataOptions o)
    {
        if (o.Action != "fetch") throw new ConfigException($"data: unknown action '{o.Action}' (expected fetch)");
        if (o.Dataset != "fashion-mnist") throw new ConfigException($"data fetch: unknown dataset '{o.Dataset}' (expected fashion-mnist)");
        string dir = o.Out ?? FashionMnist.DefaultDirectory;
        FashionMnist.Fetch(dir, Console.Out);
        Console.WriteLine($"fashion-mnist ready in {dir}");
        return 0;
    }
}
