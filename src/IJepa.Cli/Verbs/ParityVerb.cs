// `ijepa-ort parity --in IN.safetensors --out OUT.safetensors`: our step on an oracle input (bench/parity.sh).
using CommandLine;
using IJepa.Ort.Export;

namespace IJepa.Cli.Verbs;

[Verb("parity", HelpText = "Run the train-step graph on a step input in the numerical oracle's format (see bench/parity.sh).")]
public sealed class ParityOptions : CommonOptions
{
    [Option("in", Required = true)] public string In { get; set; } = "";
    [Option("out", Required = true)] public string Out { get; set; } = "";
}

public static class ParityVerb
{
    public static int Run(ParityOptions o)
    {
        var (loss, grads) = ParityRunner.Run(o.In, o.Out);
        Console.WriteLine($"loss {loss:R}, {grads} gradients → {o.Out}");
        return 0;
    }
}
