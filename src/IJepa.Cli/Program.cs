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
        var parsed = parser.ParseArguments<BuildOptions, TrainOptions, ExportOptions, EmbedOptions, DataOptions, ProbeOptions, BenchOptions, ParityOptions, ImportOptions>(args);
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
                (ImportOptions o) => ImportVerb.Run(o),
                _ => 2);
        }
        catch (Exception ex) when (ex is IJepaException || OsError.Is(ex) || !verbose)
        {
            return Report(ex, verbose);
        }
    }

    /// <summary>Prints an error as one line (the stack trace too with --verbose) and returns its exit code.</summary>
    public static int Report(Exception ex, bool verbose)
    {
        if (OsError.Is(ex)) ex = OsError.From(ex);           // a missing, read-only or full folder: one plain line naming the path
        if (ex is IJepaException known)
        {
            Console.Error.WriteLine($"error: {known.Message}");
            if (verbose) Console.Error.WriteLine(known);
            return known.ExitCode;
        }
        Console.Error.WriteLine(verbose ? $"error: {ex}" : $"error: {ex.GetType().Name}: {ex.Message.Split('\n')[0]} (run with --verbose for details)");
        return 1;
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
