// The section readers of ConfigLoader: one per YAML section, each key with its default (see the records' docs).
namespace IJepa.Ort.Config;

public static partial class ConfigLoader
{
    private static MetaConfig ReadMeta(ConfigSection s)
    {
        var d = new MetaConfig();
        var meta = new MetaConfig
        {
            UseBfloat16 = s.Bool("use_bfloat16", d.UseBfloat16),
            ModelName = s.String("model_name", d.ModelName),
            LoadCheckpoint = s.Bool("load_checkpoint", d.LoadCheckpoint),
            ReadCheckpoint = s.NullableString("read_checkpoint"),
            CopyData = s.Bool("copy_data", d.CopyData),
            PredDepth = s.Int("pred_depth", d.PredDepth),
            PredEmbDim = s.Int("pred_emb_dim", d.PredEmbDim),
        };
        s.RejectUnknown();
        return meta;
    }

    private static DataConfig ReadData(ConfigSection s)
    {
        var d = new DataConfig { BatchSize = 0 };
        var data = new DataConfig
        {
            UseGaussianBlur = s.Bool("use_gaussian_blur", d.UseGaussianBlur),
            UseHorizontalFlip = s.Bool("use_horizontal_flip", d.UseHorizontalFlip),
            UseColorDistortion = s.Bool("use_color_distortion", d.UseColorDistortion),
            ColorJitterStrength = s.Double("color_jitter_strength", d.ColorJitterStrength),
            BatchSize = s.RequiredInt("batch_size"),
            PinMem = s.Bool("pin_mem", d.PinMem),
            NumWorkers = s.Int("num_workers", d.NumWorkers),
            RootPath = s.NullableString("root_path"),
            ImageFolder = s.NullableString("image_folder"),
            CropSize = s.Int("crop_size", d.CropSize),
            CropScale = s.Pair("crop_scale", d.CropScale),
        };
        s.RejectUnknown();
        return data;
    }

    private static MaskConfig ReadMask(ConfigSection s)
    {
        var d = new MaskConfig();
        var mask = new MaskConfig
        {
            AllowOverlap = s.Bool("allow_overlap", d.AllowOverlap),
            PatchSize = s.Int("patch_size", d.PatchSize),
            NumEncMasks = s.Int("num_enc_masks", d.NumEncMasks),
            MinKeep = s.Int("min_keep", d.MinKeep),
            EncMaskScale = s.Pair("enc_mask_scale", d.EncMaskScale),
            PredMaskScale = s.Pair("pred_mask_scale", d.PredMaskScale),
            AspectRatio = s.Pair("aspect_ratio", d.AspectRatio),
            NumPredMasks = s.Int("num_pred_masks", d.NumPredMasks),
        };
        s.RejectUnknown();
        return mask;
    }

    private static OptimizationConfig ReadOptimization(ConfigSection s)
    {
        var d = new OptimizationConfig { Epochs = 0, Warmup = 0 };
        var optimization = new OptimizationConfig
        {
            Ema = s.Pair("ema", d.Ema),
            IpeScale = s.Double("ipe_scale", d.IpeScale),
            WeightDecay = s.Double("weight_decay", d.WeightDecay),
            FinalWeightDecay = s.Double("final_weight_decay", d.FinalWeightDecay),
            Epochs = s.RequiredInt("epochs"),
            Warmup = s.RequiredDouble("warmup"),
            StartLr = s.Double("start_lr", d.StartLr),
            Lr = s.Double("lr", d.Lr),
            FinalLr = s.Double("final_lr", d.FinalLr),
        };
        s.RejectUnknown();
        return optimization;
    }

    private static LoggingConfig ReadLogging(ConfigSection s)
    {
        var logging = new LoggingConfig
        {
            Folder = s.NullableString("folder"),
            WriteTag = s.String("write_tag", new LoggingConfig().WriteTag),
        };
        s.RejectUnknown();
        return logging;
    }

    private static IJepaOrtConfig ReadIJepaOrt(ConfigSection s)
    {
        var d = new IJepaOrtConfig();
        var model = ReadModel(s.Section("model"));
        string datasetName = s.String("dataset", d.Dataset.YamlName());
        var dataset = DatasetKinds.Parse(datasetName)
            ?? throw s.Error("ijepa_ort.dataset",
                $"unknown data set '{datasetName}' (expected one of: {string.Join(", ", DatasetKinds.All.Select(e => e.Name))})");
        var mean = s.NullableList("mean");
        var std = s.NullableList("std");
        bool imageNet = model.InChans == 3;
        var ours = new IJepaOrtConfig
        {
            Model = model,
            Dataset = dataset,
            Mean = mean ?? (imageNet ? d.Mean : throw s.Error("ijepa_ort.mean", $"required when in_chans is {model.InChans} (the ImageNet default has 3 values)")),
            Std = std ?? (imageNet ? d.Std : throw s.Error("ijepa_ort.std", $"required when in_chans is {model.InChans} (the ImageNet default has 3 values)")),
            Seed = s.ULong("seed", d.Seed),
            CheckpointFreq = s.Int("checkpoint_freq", d.CheckpointFreq),
            CheckpointEvery = ReadCheckpointEvery(s.Section("checkpoint_every")),
            LogFreq = s.Int("log_freq", d.LogFreq),
            UpstreamMaskBounds = s.Bool("upstream_mask_bounds", d.UpstreamMaskBounds),
            EvalFreq = s.Int("eval_freq", d.EvalFreq),
            KnnK = s.Int("knn_k", d.KnnK),
            Threads = s.Int("threads", d.Threads),
            Ipe = s.NullableInt("ipe"),
            TargetBlocks = s.Int("target_blocks", d.TargetBlocks),
            VcLoss = ReadVcLoss(s.Section("vc_loss")),
        };
        s.RejectUnknown();
        return ours;
    }

    private static CheckpointInterval ReadCheckpointEvery(ConfigSection s)
    {
        var d = new CheckpointInterval();
        var interval = new CheckpointInterval { Steps = s.Int("steps", d.Steps), Minutes = s.Double("minutes", d.Minutes) };
        s.RejectUnknown();
        return interval;
    }

    private static VcLossConfig ReadVcLoss(ConfigSection s)
    {
        var d = new VcLossConfig();
        var vc = new VcLossConfig { Variance = s.Double("variance", d.Variance), Covariance = s.Double("covariance", d.Covariance) };
        s.RejectUnknown();
        return vc;
    }

    private static ModelOverrides ReadModel(ConfigSection s)
    {
        var model = new ModelOverrides
        {
            EmbedDim = s.NullableInt("embed_dim"),
            Depth = s.NullableInt("depth"),
            NumHeads = s.NullableInt("num_heads"),
            MlpRatio = s.NullableDouble("mlp_ratio"),
            InChans = s.Int("in_chans", new ModelOverrides().InChans),
            PredNumHeads = s.NullableInt("pred_num_heads"),
        };
        s.RejectUnknown();
        return model;
    }
}
