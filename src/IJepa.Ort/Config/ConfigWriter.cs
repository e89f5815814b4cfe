// Writes a config back as YAML in the official layout (PyYAML's yaml.dump: sorted keys, block lists), then `ijepa_ort:`.
using System.Globalization;
using System.Text;

namespace IJepa.Ort.Config;

/// <summary>
/// Serialises a resolved config (every key, defaults filled in). The five upstream sections come out exactly as
/// upstream's <c>yaml.dump</c> writes them (so an official config round-trips to its own text), followed by
/// <c>ijepa_ort:</c>. The run folder saves this as <c>config.yaml</c>; <see cref="ConfigLoader"/> reads it back.
/// </summary>
public static class ConfigWriter
{
    public static string Write(IJepaConfig c)
    {
        var w = new Writer();
        var d = c.Data;
        w.Section("data");
        w.Value("batch_size", d.BatchSize);
        w.Value("color_jitter_strength", d.ColorJitterStrength);
        w.Pair("crop_scale", d.CropScale);
        w.Value("crop_size", d.CropSize);
        w.Value("image_folder", d.ImageFolder);
        w.Value("num_workers", d.NumWorkers);
        w.Value("pin_mem", d.PinMem);
        w.Value("root_path", d.RootPath);
        w.Value("use_color_distortion", d.UseColorDistortion);
        w.Value("use_gaussian_blur", d.UseGaussianBlur);
        w.Value("use_horizontal_flip", d.UseHorizontalFlip);

        w.Section("logging");
        w.Value("folder", c.Logging.Folder);
        w.Value("write_tag", c.Logging.WriteTag);

        var m = c.Mask;
        w.Section("mask");
        w.Value("allow_overlap", m.AllowOverlap);
        w.Pair("aspect_ratio", m.AspectRatio);
        w.Pair("enc_mask_scale", m.EncMaskScale);
        w.Value("min_keep", m.MinKeep);
        w.Value("num_enc_masks", m.NumEncMasks);
        w.Value("num_pred_masks", m.NumPredMasks);
        w.Value("patch_size", m.PatchSize);
        w.Pair("pred_mask_scale", m.PredMaskScale);

        var meta = c.Meta;
        w.Section("meta");
        w.Value("copy_data", meta.CopyData);
        w.Value("load_checkpoint", meta.LoadCheckpoint);
        w.Value("model_name", meta.ModelName);
        w.Value("pred_depth", meta.PredDepth);
        w.Value("pred_emb_dim", meta.PredEmbDim);
        w.Value("read_checkpoint", meta.ReadCheckpoint);
        w.Value("use_bfloat16", meta.UseBfloat16);

        var o = c.Optimization;
        w.Section("optimization");
        w.Pair("ema", o.Ema);
        w.Value("epochs", o.Epochs);
        w.Value("final_lr", o.FinalLr);
        w.Value("final_weight_decay", o.FinalWeightDecay);
        w.Value("ipe_scale", o.IpeScale);
        w.Value("lr", o.Lr);
        w.Value("start_lr", o.StartLr);
        // Upstream writes what it read: an integer warmup stays an integer.
        if (o.Warmup == Math.Floor(o.Warmup) && Math.Abs(o.Warmup) < 1e15) w.Value("warmup", (long)o.Warmup);
        else w.Value("warmup", o.Warmup);
        w.Value("weight_decay", o.WeightDecay);

        var ours = c.IJepaOrt;
        w.Section("ijepa_ort");
        w.Section("checkpoint_every", 1);
        w.Value("minutes", ours.CheckpointEvery.Minutes, 2);
        w.Value("steps", ours.CheckpointEvery.Steps, 2);
        w.Value("checkpoint_freq", ours.CheckpointFreq);
        w.Value("dataset", ours.Dataset.YamlName());
        w.Value("eval_freq", ours.EvalFreq);
        w.Value("ipe", ours.Ipe);
        w.Value("knn_k", ours.KnnK);
        w.Value("log_freq", ours.LogFreq);
        w.List("mean", ours.Mean);
        var model = ours.Model;
        w.Section("model", 1);
        w.Value("depth", model.Depth, 2);
        w.Value("embed_dim", model.EmbedDim, 2);
        w.Value("in_chans", model.InChans, 2);
        w.Value("mlp_ratio", model.MlpRatio, 2);
        w.Value("num_heads", model.NumHeads, 2);
        w.Value("pred_num_heads", model.PredNumHeads, 2);
        w.Value("seed", ours.Seed);
        w.List("std", ours.Std);
        w.Value("target_blocks", ours.TargetBlocks);
        w.Value("threads", ours.Threads);
        w.Value("upstream_mask_bounds", ours.UpstreamMaskBounds);
        w.Section("vc_loss", 1);
        w.Value("covariance", ours.VcLoss.Covariance, 2);
        w.Value("variance", ours.VcLoss.Variance, 2);
        return w.ToString();
    }

    /// <summary>Writes <see cref="Write"/>'s text to <paramref name="path"/>.</summary>
    public static void Save(IJepaConfig config, string path) => File.WriteAllText(path, Write(config));

    /// <summary>A float as PyYAML writes it: Python's shortest <c>repr</c>, lower case, with <c>.0</c> before a bare exponent.</summary>
    internal static string Float(double value)
    {
        if (double.IsNaN(value)) return ".nan";
        if (double.IsInfinity(value)) return value > 0 ? ".inf" : "-.inf";
        string sign = value < 0 || (value == 0 && double.IsNegative(value)) ? "-" : "";
        if (value == 0) return sign + "0.0";

        // Shortest round-trip digits and the decimal exponent of the first one: value = d.ddd × 10^exp.
        string digits = Digits(Math.Abs(value).ToString("R", CultureInfo.InvariantCulture), out int exp);

        string text;
        if (exp < -4 || exp >= 16)
        {
            string mantissa = digits.Length == 1 ? digits : $"{digits[0]}.{digits[1..]}";
            text = $"{mantissa}e{(exp < 0 ? '-' : '+')}{Math.Abs(exp):00}";
            if (!mantissa.Contains('.')) text = text.Replace("e", ".0e");
        }
        else if (exp >= 0)
        {
            string whole = digits.Length > exp + 1 ? digits[..(exp + 1)] : digits.PadRight(exp + 1, '0');
            string frac = digits.Length > exp + 1 ? digits[(exp + 1)..] : "0";
            text = $"{whole}.{frac}";
        }
        else
        {
            text = $"0.{new string('0', -exp - 1)}{digits}";
        }
        return sign + text;
    }

    // The significant digits of .NET's shortest round-trip text ("1E-06", "0.0002", "123.5"), no leading or trailing zeros.
    private static string Digits(string shortest, out int exp)
    {
        int e = shortest.IndexOfAny(['E', 'e']);
        string mantissa = e < 0 ? shortest : shortest[..e];
        int shift = e < 0 ? 0 : int.Parse(shortest[(e + 1)..], CultureInfo.InvariantCulture);
        int dot = mantissa.IndexOf('.');
        string all = mantissa.Replace(".", "");
        int pointAt = (dot < 0 ? mantissa.Length : dot) + shift; // digits before the decimal point
        int lead = all.Length - all.TrimStart('0').Length;
        string digits = all.Trim('0');
        exp = pointAt - lead - 1;
        return digits;
    }

    /// <summary>A string as a plain scalar when it reads back as the same string, else single-quoted.</summary>
    internal static string String(string value)
    {
        bool plain = value.Length > 0
            && value.All(ch => char.IsAsciiLetterOrDigit(ch) || "_./$+=-~".Contains(ch))
            && !"-~".Contains(value[0])
            && !YamlScalars.LooksTyped(value);
        return plain ? value : $"'{value.Replace("'", "''")}'";
    }

    private sealed class Writer
    {
        private readonly StringBuilder _sb = new();

        public void Section(string name, int depth = 0) => Line(depth, $"{name}:");

        public void Value(string key, int value, int depth = 1) => Line(depth, $"{key}: {value.ToString(CultureInfo.InvariantCulture)}");

        public void Value(string key, long value, int depth = 1) => Line(depth, $"{key}: {value.ToString(CultureInfo.InvariantCulture)}");

        public void Value(string key, ulong value, int depth = 1) => Line(depth, $"{key}: {value.ToString(CultureInfo.InvariantCulture)}");

        public void Value(string key, int? value, int depth = 1) => Line(depth, $"{key}: {(value is int v ? v.ToString(CultureInfo.InvariantCulture) : "null")}");

        public void Value(string key, double value, int depth = 1) => Line(depth, $"{key}: {Float(value)}");

        public void Value(string key, double? value, int depth = 1) => Line(depth, $"{key}: {(value is double v ? Float(v) : "null")}");

        public void Value(string key, bool value, int depth = 1) => Line(depth, $"{key}: {(value ? "true" : "false")}");

        public void Value(string key, string? value, int depth = 1) => Line(depth, $"{key}: {(value is null ? "null" : String(value))}");

        public void Pair(string key, (double, double) pair, int depth = 1) => List(key, [pair.Item1, pair.Item2], depth);

        // PyYAML's default block list: items at the key's own indentation.
        public void List(string key, IReadOnlyList<double> values, int depth = 1)
        {
            Line(depth, $"{key}:");
            foreach (double v in values) Line(depth, $"- {Float(v)}");
        }

        private void Line(int depth, string text) => _sb.Append(' ', 2 * depth).Append(text).Append('\n');

        public override string ToString() => _sb.ToString();
    }
}
