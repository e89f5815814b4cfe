// The CLI contract: exit codes and one-line errors naming the file and key at fault; --json as the last line.
using IJepa.Cli;

namespace IJepa.Cli.Tests;

[NonParallelizable]
public class CliTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("ijepa-cli-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var (stdout, stderr) = (Console.Out, Console.Error);
        using var o = new StringWriter();
        using var e = new StringWriter();
        Console.SetOut(o);
        Console.SetError(e);
        try { return (Program.Main(args), o.ToString(), e.ToString()); }
        finally { Console.SetOut(stdout); Console.SetError(stderr); }
    }

    private string Config(string name, string replace, string with)
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, "models", "fmnist-vit-micro.yaml")).Replace(replace, with);
        Assert.That(text, Does.Contain(with), "the edit applied");
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [TestCase("unknown.yaml", "  patch_size: 4", "  patch_size: 4\n  patch_sise: 4", "mask.patch_sise")]
    [TestCase("type.yaml", "  batch_size: 64", "  batch_size: many", "data.batch_size")]
    [TestCase("divisible.yaml", "  patch_size: 4", "  patch_size: 5", "patch_size")]
    [TestCase("missing.yaml", "  batch_size: 64\n", "", "data.batch_size")]
    public void Build_BadConfig_ExitsTwoWithOneLineNamingFileAndKey(string file, string replace, string with, string key)
    {
        var path = Config(file, replace, with);
        var (code, _, err) = Run("build", "--config", path, "--out", Path.Combine(_dir, "graphs"));
        Assert.That(code, Is.EqualTo(2), err);
        Assert.That(err.TrimEnd().Split('\n'), Has.Length.EqualTo(1), err);
        Assert.That(err, Does.Contain(path).And.Contain(key));
    }

    [Test]
    public void Probe_BadReadout_ExitsTwoWithOneLineNamingTheOption()
    {
        var (code, _, err) = Run("probe", "--checkpoint", Path.Combine(_dir, "none"), "--readout", "mean,grid:0");
        Assert.That(code, Is.EqualTo(2), err);
        Assert.That(err.TrimEnd().Split('\n'), Has.Length.EqualTo(1), err);
        Assert.That(err, Does.Contain("--readout: 'grid:0'"));
    }

    [Test]
    public void Build_MissingConfigFile_ExitsTwo()
    {
        var (code, _, err) = Run("build", "--config", Path.Combine(_dir, "nope.yaml"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("nope.yaml"));
    }

    [Test]
    public void Build_Json_PrintsOneObjectAsLastLine()
    {
        var (code, stdout, _) = Run("build", "--config", Path.Combine(RepoPaths.Root, "models", "fmnist-vit-micro.yaml"), "--out", Path.Combine(_dir, "g"), "--json");
        Assert.That(code, Is.EqualTo(0));
        var last = stdout.TrimEnd().Split('\n')[^1];
        using var json = System.Text.Json.JsonDocument.Parse(last);
        Assert.That(json.RootElement.GetProperty("trainable_parameters").GetInt64(), Is.EqualTo(912_256));
    }

    [Test]
    public void Train_MissingDataFolder_ExitsThreeNamingThePath()
    {
        var path = Config("nodata.yaml", "  dataset: fashion-mnist", "  dataset: idx");
        var missing = Path.Combine(_dir, "absent");
        var (code, _, err) = Run("train", "--config", path, "--out", Path.Combine(_dir, "run"), "--set", $"data.root_path={missing}");
        Assert.That(code, Is.EqualTo(3), err);
        Assert.That(err, Does.Contain(missing));
    }

    [Test]
    public void Train_CudaOnCpuBuild_FailsWithOneLineSayingSo()
    {
        var (code, _, err) = Run("train", "--device", "cuda:0", "--max-steps", "1", "--out", Path.Combine(_dir, "run"),
            "--config", Path.Combine(RepoPaths.Root, "models", "fmnist-vit-micro.yaml"), "--set", $"data.root_path={Path.Combine(RepoPaths.Root, "data", "fashion-mnist")}");
        Assert.That(code, Is.EqualTo(2), err);
        Assert.That(err, Does.Contain("cuda:0").And.Contain("CUDA"));
        Assert.That(err.TrimEnd().Split('\n'), Has.Length.EqualTo(1), err);
    }

    [TestCase("build")]
    [TestCase("train")]
    public void OutputUnderAFile_ExitsOneWithPlainLineNamingThePath(string verb)
    {
        string file = Path.Combine(_dir, "a-file");
        File.WriteAllText(file, "");
        string output = Path.Combine(file, "out");
        string[] data = verb == "train" ? ["--set", $"data.root_path={Path.Combine(RepoPaths.Root, "data", "fashion-mnist")}"] : [];
        var (code, _, err) = Run([verb, "--config", Path.Combine(RepoPaths.Root, "models", "fmnist-vit-micro.yaml"), "--out", output, .. data]);
        Assert.That(code, Is.EqualTo(1), err);
        Assert.That(err.TrimEnd().Split('\n'), Has.Length.EqualTo(1), err);
        Assert.That(err, Does.Contain(file).And.Not.Contain("Exception"));
    }

    [Test]
    public void OutputOnAFileSystemThatRefusesIt_ExitsOneSayingSo()
    {
        if (!Directory.Exists("/sys/kernel")) Assert.Ignore("needs Linux's read-only /sys");
        var (code, _, err) = Run("build", "--config", Path.Combine(RepoPaths.Root, "models", "fmnist-vit-micro.yaml"), "--out", "/sys/ijepa-graphs");
        Assert.That(code, Is.EqualTo(1), err);
        Assert.That(err.TrimEnd(), Is.EqualTo("error: /sys/ijepa-graphs: permission denied or read-only file system"));
    }

    [Test]
    public void Bench_ProfileWithAPath_WritesThereAndSaysWhere()
    {
        string prefix = Path.Combine(_dir, "prof", "micro");
        var (code, output, err) = Run("bench", "--config", Path.Combine(RepoPaths.Root, "models", "fmnist-vit-micro.yaml"), "--batch", "4",
            "--warmup", "0", "--steps", "1", "--threads", "1", "--profile", prefix);
        Assert.That(code, Is.Zero, err);
        var files = Directory.GetFiles(Path.Combine(_dir, "prof"), "micro*.json");
        Assert.That(files, Is.Not.Empty);
        Assert.That(output, Does.Contain("profile: " + files[0]));
    }

    [Test]
    public void BenchProfilePrefix_BareName_GoesUnderBenchResultsTmp() =>
        Assert.That(IJepa.Cli.Verbs.BenchVerb.ProfilePrefix("micro"), Is.EqualTo(Path.Combine("bench", "results", "tmp", "micro")));

    [Test]
    public void UnknownVerb_ExitsTwo() => Assert.That(Run("frobnicate").Code, Is.EqualTo(2));
}
