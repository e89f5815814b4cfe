// The value checks of a config: ranges, and the relations between keys (grid, masks, model sizes).
using IJepa.Ort.Masks;

namespace IJepa.Ort.Config;

internal static class ConfigValidator
{
    /// <summary>Throws the first problem found, naming its key; the order follows the file's sections.</summary>
    public static void Validate(IJepaConfig c)
    {
        void Check(bool ok, string key, string problem)
        {
            if (!ok) throw c.Error(key, problem);
        }
        void AtLeast(double value, double min, string key) => Check(value >= min, key, $"must be at least {min}, got {value}");
        void Fraction((double Min, double Max) r, string key)
        {
            Check(r.Min > 0 && r.Max <= 1, key, $"[{r.Min}, {r.Max}] must lie in (0, 1]");
            Check(r.Min <= r.Max, key, $"min {r.Min} is greater than max {r.Max}");
        }

        var data = c.Data;
        AtLeast(data.BatchSize, 1, "data.batch_size");
        AtLeast(data.NumWorkers, 0, "data.num_workers");
        AtLeast(data.ColorJitterStrength, 0, "data.color_jitter_strength");
        AtLeast(data.CropSize, 1, "data.crop_size");
        Fraction(data.CropScale, "data.crop_scale");

        var mask = c.Mask;
        AtLeast(mask.PatchSize, 1, "mask.patch_size");
        Check(data.CropSize % mask.PatchSize == 0, "mask.patch_size", $"{mask.PatchSize} does not divide data.crop_size {data.CropSize}");
        foreach (var (key, problem) in c.Masking().Problems())
            throw c.Error(key, problem);

        var opt = c.Optimization;
        AtLeast(opt.Epochs, 1, "optimization.epochs");
        AtLeast(opt.Warmup, 0, "optimization.warmup");
        Check(opt.IpeScale > 0, "optimization.ipe_scale", $"must be positive, got {opt.IpeScale}");
        AtLeast(opt.StartLr, 0, "optimization.start_lr");
        AtLeast(opt.Lr, 0, "optimization.lr");
        AtLeast(opt.FinalLr, 0, "optimization.final_lr");
        AtLeast(opt.WeightDecay, 0, "optimization.weight_decay");
        AtLeast(opt.FinalWeightDecay, 0, "optimization.final_weight_decay");
        Check(opt.Ema.Start is >= 0 and <= 1 && opt.Ema.End is >= 0 and <= 1, "optimization.ema",
            $"[{opt.Ema.Start}, {opt.Ema.End}] must lie in [0, 1]");

        Check(!string.IsNullOrWhiteSpace(c.Logging.WriteTag), "logging.write_tag", "must not be empty");

        c.Predictor(); // resolves and checks the encoder too

        var ours = c.IJepaOrt;
        int chans = ours.Model.InChans;
        Check(ours.Mean.Count == chans, "ijepa_ort.mean", $"has {ours.Mean.Count} values for in_chans {chans}");
        Check(ours.Std.Count == chans, "ijepa_ort.std", $"has {ours.Std.Count} values for in_chans {chans}");
        Check(ours.Std.All(s => s > 0), "ijepa_ort.std", "every value must be positive");
        AtLeast(ours.CheckpointFreq, 1, "ijepa_ort.checkpoint_freq");
        AtLeast(ours.CheckpointEvery.Steps, 0, "ijepa_ort.checkpoint_every.steps");
        Check(ours.CheckpointEvery.Minutes >= 0 && double.IsFinite(ours.CheckpointEvery.Minutes), "ijepa_ort.checkpoint_every.minutes",
            $"{ours.CheckpointEvery.Minutes} must be a finite number ≥ 0 (0 = off)");
        AtLeast(ours.LogFreq, 1, "ijepa_ort.log_freq");
        AtLeast(ours.EvalFreq, 0, "ijepa_ort.eval_freq");
        AtLeast(ours.KnnK, 1, "ijepa_ort.knn_k");
        AtLeast(ours.Threads, 0, "ijepa_ort.threads");
        if (ours.Ipe is int ipe) AtLeast(ipe, 1, "ijepa_ort.ipe");
        int depth = c.Encoder().Depth;
        Check(ours.TargetBlocks >= 1 && ours.TargetBlocks <= depth, "ijepa_ort.target_blocks",
            $"{ours.TargetBlocks} must lie in 1..{depth} (the encoder's depth)");
        var vc = ours.VcLoss;
        Check(vc.Variance >= 0 && double.IsFinite(vc.Variance), "ijepa_ort.vc_loss.variance", $"{vc.Variance} must be a finite number ≥ 0 (0 = off)");
        Check(vc.Covariance >= 0 && double.IsFinite(vc.Covariance), "ijepa_ort.vc_loss.covariance", $"{vc.Covariance} must be a finite number ≥ 0 (0 = off)");
        Check(c.Data.BatchSize >= 2 || (vc.Variance == 0 && vc.Covariance == 0), "ijepa_ort.vc_loss",
            $"needs data.batch_size ≥ 2 (batch statistics), got {c.Data.BatchSize}");
    }
}
