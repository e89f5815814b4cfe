// Test support: a tiny I-JEPA preset on a small synthetic IDX data set, so trainer tests run in seconds.
using IJepa.Ort.Data;
using IJepa.Ort.Training;

namespace IJepa.Ort.Tests.Support;

public sealed class TinyRun : IDisposable
{
    public TinyRun(int images = 96)
    {
        Root = Directory.CreateTempSubdirectory("ijepa-run-").FullName;
        DataDir = Path.Combine(Root, "data");
        Directory.CreateDirectory(DataDir);
        var rng = new Random(5);
        foreach (var split in new[] { "train", "t10k" })
        {
            var pixels = new byte[images * 28 * 28];
            var labels = new byte[images];
            for (int i = 0; i < images; i++)
            {
                labels[i] = (byte)(i % 4);
                // Class-dependent stripes plus noise: structured enough for the loss to have something to learn.
                for (int y = 0; y < 28; y++)
                    for (int x = 0; x < 28; x++)
                        pixels[i * 784 + y * 28 + x] = (byte)Math.Clamp(((x + labels[i] * y) / 4 % 2) * 200 + rng.Next(56), 0, 255);
            }
            using (var f = File.Create(Path.Combine(DataDir, $"{split}-images-idx3-ubyte"))) IdxArray.Write(f, [images, 28, 28], pixels);
            using (var f = File.Create(Path.Combine(DataDir, $"{split}-labels-idx1-ubyte"))) IdxArray.Write(f, [images], labels);
        }
        ConfigPath = Path.Combine(Root, "tiny.yaml");
        var preset = File.ReadAllText(Path.Combine(RepoPaths.Models, "fmnist-vit-micro.yaml"));
        File.WriteAllText(ConfigPath, preset);
    }

    public string Root { get; }
    public string DataDir { get; }
    public string ConfigPath { get; }
    public string RunDir(string name = "run") => Path.Combine(Root, name);

    /// <summary>The micro preset shrunk: ViT 32/1/2, predictor 16/1/2, batch 8, 4 epochs of 6 steps, on the synthetic IDX files.</summary>
    public TrainOptions Options(string runName = "run", long? maxSteps = null, bool resume = false, params (string, string)[] extra) => new()
    {
        ConfigPath = ConfigPath, RunDir = RunDir(runName), MaxSteps = maxSteps, Resume = resume, GraphsRoot = Path.Combine(Root, "no-graphs"),
        Overrides = new (string, string)[]
        {
            ("ijepa_ort.dataset", "idx"), ("data.root_path", DataDir), ("data.batch_size", "8"), ("data.num_workers", "1"),
            ("ijepa_ort.model.embed_dim", "32"), ("ijepa_ort.model.depth", "1"), ("ijepa_ort.model.num_heads", "2"),
            ("ijepa_ort.model.pred_num_heads", "2"), ("meta.pred_depth", "1"), ("meta.pred_emb_dim", "16"),
            ("ijepa_ort.ipe", "6"), ("ijepa_ort.threads", "1"), ("ijepa_ort.checkpoint_freq", "2"), ("ijepa_ort.eval_freq", "2"),
            // The schedule the tests count on, whatever the preset's tuning.
            ("optimization.epochs", "4"), ("optimization.lr", "1e-3"), ("optimization.start_lr", "2e-4"),
        }.Concat(extra).Select(p => KeyValuePair.Create(p.Item1, p.Item2)).ToList(),
    };

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
