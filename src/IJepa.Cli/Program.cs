// ijepa-ort: the command-line entry point. Thin: parses the verb, calls the library, prints, maps errors to exit codes.
using CommandLine;
using IJepa.Cli.Verbs;
using IJepa.Ort.Errors;

namespace IJepa.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        bool verbose = args.Contains("--verbose");
        var parser = new Parser(s => { s.HelpWriter = Console.Error; s.CaseInsensitiveEnumValues = true; });
        var parsed = parser.ParseArguments<BuildOptions, TrainOptions, ExportOptions, EmbedOptions, DataOptions, ProbeOptions, BenchOptions, ParityOptions>(args);
        try
        {
            return parsed.MapResult(
                (BuildOptions o) => BuildVerb.Run(o),
                (TrainOptions o) => TrainVerb.Run(o),
                (ExportOptions o) => ExportVerb.Run(o),
                (EmbedOptions o) => EmbedVerb.Run(o),
                (DataOptions o) => DataVerb.Run(o),
                (ProbeOptions o) => ProbeVerb.Run(o),
                (BenchOptions o) => BenchVerb.Run(o),
                (ParityOptions o) => ParityVerb.Run(o),
                _ => 2);
        }
        catch (IJepaException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            if (verbose) Console.Error.WriteLine(ex);
            return ex.ExitCode;
        }
        catch (Exception ex) when (OsError.Is(ex))
        {
            Console.Error.WriteLine($"error: {OsError.From(ex).Message}");
            if (verbose) Console.Error.WriteLine(ex);
            return 1;
        }
        catch (Exception ex) when (!verbose)
        {
            Console.Error.WriteLine($"error: {ex.GetType().Name}: {ex.Message.Split('\n')[0]} (run with --verbose for details)");
            return 1;
        }
    }
}

/// <summary>Options every verb has.</summary>
public abstract class CommonOptions
{
    [Option("verbose", HelpText = "Print stack traces on errors.")]
    public bool Verbose { get; set; }

    [Option("json", HelpText = "Print one final JSON object as the last line of stdout.")]
    public bool Json { get; set; }
}
