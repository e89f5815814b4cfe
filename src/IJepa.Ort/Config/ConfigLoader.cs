// Loads an ijepa YAML config (the official schema plus `ijepa_ort:`) strictly into an IJepaConfig.
using IJepa.Ort.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace IJepa.Ort.Config;

/// <summary>
/// Reads configs. Strict: an unknown key, a wrong type, a missing required value or an impossible value is a
/// <see cref="ConfigException"/> whose one-line message names the file and the full key
/// (<c>models/x.yaml: mask.patch_size: 5 does not divide data.crop_size 28</c>). Missing optional keys take
/// upstream's defaults (documented on each property).
/// </summary>
public static class ConfigLoader
{
    /// <summary>Reads and validates the config file at <paramref name="path"/>, then applies <paramref name="overrides"/> in order.</summary>
    public static IJepaConfig Load(string path, IEnumerable<KeyValuePair<string, string>>? overrides = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"{path}: cannot read the config: {e.Message}", e);
        }
        return Parse(text, path, overrides);
    }

    /// <summary>Parses config text; <paramref name="fileName"/> is what errors name.</summary>
    public static IJepaConfig Parse(string yaml, string fileName, IEnumerable<KeyValuePair<string, string>>? overrides = null)
    {
        var root = ReadTree(yaml, fileName);
        var keys = new List<string>();
        foreach (var (key, value) in overrides ?? [])
        {
            SetKey(root, key, value);
            keys.Add(key);
        }
        return FromTree(root, fileName, keys);
    }

    /// <summary>
    /// A copy of <paramref name="config"/> with one key replaced, e.g. <c>Override(c, "optimization.lr", "0.001")</c>.
    /// The value is YAML (<c>[0.85, 1.0]</c>, <c>null</c>, <c>true</c>); the result is validated again, and errors about
    /// the key name the command line.
    /// </summary>
    public static IJepaConfig Override(IJepaConfig config, string key, string value)
    {
        var root = ReadTree(ConfigWriter.Write(config), config.Source);
        SetKey(root, key, value);
        return FromTree(root, config.Source, [.. config.Overrides, key]);
    }

    private static YamlMappingNode ReadTree(string yaml, string fileName)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new ConfigException($"{fileName}:{e.Start.Line}:{e.Start.Column}: invalid YAML: {e.Message}", e);
        }
        if (stream.Documents.Count > 1) throw new ConfigException($"{fileName}: expected one YAML document, found {stream.Documents.Count}");
        if (stream.Documents.Count == 0 || YamlScalars.IsNull(stream.Documents[0].RootNode)) return new YamlMappingNode();
        return stream.Documents[0].RootNode as YamlMappingNode
            ?? throw new ConfigException($"{fileName}: expected a mapping of sections (meta, data, mask, optimization, logging, ijepa_ort)");
    }

    /// <summary>Puts <paramref name="value"/> (parsed as YAML) at the dotted <paramref name="key"/>, creating mappings on the way.</summary>
    private static void SetKey(YamlMappingNode root, string key, string value)
    {
        string[] parts = key.Split('.');
        if (parts.Length < 2 || parts.Any(string.IsNullOrWhiteSpace))
            throw ConfigException.At(ConfigOrigin.CommandLine, key, "expected a full key such as optimization.lr");
        var map = root;
        for (int i = 0; i < parts.Length - 1; i++)
        {
            var name = new YamlScalarNode(parts[i]);
            if (!map.Children.TryGetValue(name, out var child) || YamlScalars.IsNull(child))
            {
                child = new YamlMappingNode();
                map.Children[name] = child;
            }
            map = child as YamlMappingNode
                ?? throw ConfigException.At(ConfigOrigin.CommandLine, key, $"{string.Join('.', parts[..(i + 1)])} is not a mapping");
        }
        map.Children[new YamlScalarNode(parts[^1])] = ParseValue(key, value);
    }

    private static YamlNode ParseValue(string key, string value)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(value));
        }
        catch (YamlException e)
        {
            throw ConfigException.At(ConfigOrigin.CommandLine, key, $"invalid YAML value '{value}': {e.Message}");
        }
        return stream.Documents.Count == 0 ? new YamlScalarNode("null") : stream.Documents[0].RootNode;
    }

    private static IJepaConfig FromTree(YamlMappingNode root, string file, IReadOnlyList<string> overrides)
    {
        var top = new ConfigSection(file, overrides, "", root);
        var meta = ReadMeta(top.Section("meta"));
        var data = ReadData(top.Section("data"));
        var mask = ReadMask(top.Section("mask"));
        var optimization = ReadOptimization(top.Section("optimization"));
        var logging = ReadLogging(top.Section("logging"));
        var ours = ReadIJepaOrt(top.Section("ijepa_ort"));
        top.RejectUnknown();
        var config = new IJepaConfig
        {
            Meta = meta, Data = data, Mask = mask, Optimization = optimization, Logging = logging, IJepaOrt = ours,
            Source = file, Overrides = overrides,
        };
        ConfigValidator.Validate(config);
        return config;
    }

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
            LogFreq = s.Int("log_freq", d.LogFreq),
            UpstreamMaskBounds = s.Bool("upstream_mask_bounds", d.UpstreamMaskBounds),
            EvalFreq = s.Int("eval_freq", d.EvalFreq),
            KnnK = s.Int("knn_k", d.KnnK),
            Threads = s.Int("threads", d.Threads),
            Ipe = s.NullableInt("ipe"),
        };
        s.RejectUnknown();
        return ours;
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
