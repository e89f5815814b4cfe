// `ijepa-ort probe`: frozen-feature evaluation of an I-JEPA encoder — linear probe and kNN on average-pooled target-encoder
// features (the paper's protocol) and on richer readouts (grid averages, an attentive probe over the tokens), optionally
// against a randomly initialised encoder of the same preset and raw pixels (each given the same readouts), on the data
// set's classes or on the generated scenes' object count and largest size.
using System.Diagnostics;
using IJepa.Ort.Checkpoints;
using IJepa.Ort.Config;
using IJepa.Ort.Data;
using IJepa.Ort.Errors;
using IJepa.Ort.Export;

namespace IJepa.Ort.Evaluation;

public static class Probe
{
    public const string Pretrained = "i-jepa", RandomInit = "random-init", Pixels = "pixels";

    /// <summary>Widest features whose collapse figures are computed (1,024: ~10 s; the scenes' 3,072 raw pixels: many minutes).</summary>
    private const int MaxCollapseDim = 1024;

    public static ProbeReport Run(ProbeRequest r, TextWriter log)
    {
        var clock = Stopwatch.StartNew();
        var subject = Subject.Open(r);
        var data = ProbeData.Open(r, subject, log);
        log.WriteLine($"probing {subject.Name} on {data.Description}: train {data.Train[0].Count}, test {data.Test[0].Count}");

        var encoders = new List<(string Name, Func<IImageDataset, bool, EncodedFeatures> Features)>
        {
            (Pretrained, Encoding(subject.Model, r)),
        };
        EncoderModel? random = null;
        if (r.Baselines || r.Curve)
        {
            var config = subject.Config ?? throw new ConfigException("--baselines/--curve: the random-init baseline needs the preset: pass --config models/NAME.yaml with --model");
            random = EncoderExport.RandomInit(config, subject.Preset, config.IJepaOrt.Seed, r.LastBlocks);
        }
        if (r.Baselines)
        {
            encoders.Add((RandomInit, Encoding(random!, r)));
            var m = subject.Model;
            encoders.Add((Pixels, (ds, tokens) => FeatureExtractor.PixelsWithPatches(m, ds, tokens)));
        }

        var scores = new List<ProbeScore>();
        var features = new Dictionary<string, FeatureStats>();
        foreach (var (name, extract) in encoders)
        {
            var s = Score(name, extract, data, r, log);
            scores.AddRange(s.Scores);
            if (s.Stats is { } stats) features[name] = stats;
        }

        var curve = new List<CurvePoint>();
        string? plot = null;
        if (r.Curve)
        {
            curve.AddRange(Curve(subject, random!, data, r, scores.Where(s => s.Encoder == Pretrained).ToList(),
                r.Baselines ? scores.Where(s => s.Encoder == RandomInit).ToList() : null, log));
            plot = r.Plot ?? Path.Combine(subject.RunDir ?? ".", "probe.png");
            ProbePlot.SaveCurve(plot, curve, scores.Where(s => s.Encoder == Pixels).ToList(), $"{subject.Preset}: probe top-1 over training ({data.Description})");
        }
        return new ProbeReport(subject.Name, subject.Step, data.Description, data.Train[0].Count, data.Test[0].Count, features, scores, curve, plot,
            clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Features (and tokens, if a readout needs them) of both splits once; the mean readout's collapse figures (on up to
    /// 2,000 test rows; not the wider readouts', whose D×D eigendecomposition in C# took 172 s at 1,024-d, measured), then every
    /// readout, task and method.
    /// </summary>
    private static (List<ProbeScore> Scores, FeatureStats? Stats) Score(string name, Func<IImageDataset, bool, EncodedFeatures> features,
        ProbeData data, ProbeRequest r, TextWriter log)
    {
        var clock = Stopwatch.StartNew();
        var readouts = ProbeReadout.WithMeanFirst(r.Readouts);
        bool tokens = readouts.Any(x => x.NeedsTokens);
        var (train, test) = (features(data.Train[0], tokens), features(data.Test[0], tokens));
        log.WriteLine($"  {name}: features of {train.Pooled.Count + test.Pooled.Count} images in {clock.Elapsed.TotalSeconds:F0} s" +
            (tokens ? $" ({train.TokenCount} tokens of {train.Tokens!.Dim / train.TokenCount} values each)" : ""));
        var scores = new List<ProbeScore>();
        FeatureStats? stats = null;
        foreach (var readout in readouts)
        {
            string label = name == Pixels && readout.Kind == ReadoutKind.Mean ? ProbeReadout.FlatPixels : readout.Name;
            var (trainX, testX) = (Apply(readout, train), Apply(readout, test));
            if (readout.Kind == ReadoutKind.Mean && trainX.Dim > MaxCollapseDim)
                log.WriteLine($"  {name} {label}: {trainX.Dim}-d features; no collapse figures above {MaxCollapseDim} dimensions (their eigendecomposition is O(D³))");
            else if (readout.Kind == ReadoutKind.Mean)
            {
                var collapse = CollapseMonitor.Measure(testX.Data, Math.Min(testX.Count, 2000), testX.Dim);
                log.WriteLine($"  {name} {label}: {trainX.Dim}-d features; std·√D {collapse.NormalizedStd:F3}, effective rank {collapse.EffectiveRank:F1}" +
                    (collapse.Collapsing ? " (collapsing)" : ""));
                stats = new FeatureStats(trainX.Dim, collapse);
            }
            for (int t = 0; t < r.Tasks.Count; t++)
            {
                var (trainT, testT) = (Relabel(trainX, data.Train[t]), Relabel(testX, data.Test[t]));
                foreach (var method in r.Methods)
                {
                    if (readout.Kind == ReadoutKind.Attentive && method == ProbeMethod.Knn) continue;   // no feature vector to search
                    var score = Score(name, label, readout, train.TokenCount, r.Tasks[t], method, trainT, testT, r);
                    log.WriteLine($"  {name,-11} {label,-9} {r.Tasks[t].ToString().ToLowerInvariant(),-5} {Name(method),-6} top-1 {score.Top1:P2}" +
                        (score.Lr is double lr ? $" (lr {lr:G3}, wd {score.WeightDecay:G3}" + (score.Ridge is double ridge ? $", ridge {ridge:G3})" : ")") : "") +
                        $" [{score.Seconds:F0} s]");
                    scores.Add(score);
                }
            }
        }
        return (scores, stats);
    }

    /// <summary>What the probes of <paramref name="readout"/> see: pooled features, grid averages, or the tokens themselves.</summary>
    private static FeatureSet Apply(ProbeReadout readout, EncodedFeatures f) => readout.Kind switch
    {
        ReadoutKind.Grid => TokenPooling.Grid(f.Tokens!, f.TokenCount, readout.Grid),
        ReadoutKind.Attentive => f.Tokens!,
        _ => f.Pooled,
    };

    private static ProbeScore Score(string name, string label, ProbeReadout readout, int tokenCount, ProbeTask task, ProbeMethod method,
        FeatureSet train, FeatureSet test, ProbeRequest r)
    {
        if (readout.Kind == ReadoutKind.Attentive)
        {
            var a = AttentiveProbe.Run(train, test, tokenCount, r.Attentive with { Seed = r.Seed, Threads = r.Threads, Device = r.Device });
            return new ProbeScore(name, label, task, method, a.TestAccuracy, a.Lr, a.WeightDecay, null, a.Seconds);
        }
        if (method == ProbeMethod.Knn)
        {
            var knn = KnnClassifier.Evaluate(train, test, r.Knn with { Threads = r.Threads, Device = r.Device });
            return new ProbeScore(name, label, task, method, knn.Accuracy, null, null, null, knn.Seconds);
        }
        var linear = LinearProbe.Run(train, test, r.Linear with { Seed = r.Seed, Threads = r.Threads, Device = r.Device });
        return new ProbeScore(name, label, task, method, linear.TestAccuracy, linear.Lr, linear.WeightDecay, linear.Ridge, linear.Seconds);
    }

    /// <summary>
    /// The random initialisation (step 0), then every numbered checkpoint and the latest, by step; the subject's own
    /// scores stand for its step and the random-init baseline's (when probed) for step 0, so neither is probed twice.
    /// </summary>
    private static List<CurvePoint> Curve(Subject subject, EncoderModel random, ProbeData data, ProbeRequest r, IReadOnlyList<ProbeScore> own,
        IReadOnlyList<ProbeScore>? randomInit, TextWriter log)
    {
        if (subject.RunDir is null) throw new ConfigException("--curve needs --checkpoint RUN_FOLDER (its checkpoints/ep<N>.safetensors)");
        var points = new List<CurvePoint>();
        void Add(long step, IEnumerable<ProbeScore> scores) =>
            points.AddRange(scores.Select(s => new CurvePoint(step, s.Readout, s.Task, s.Method, s.Top1)));
        Add(0, randomInit ?? Score("step 0", Encoding(random, r), data, r, log).Scores);
        var checkpoints = CheckpointFolder.ListNumbered(subject.RunDir).Select(e => (e.Path, Step: Subject.StepOf(e.Path)))
            .Where(c => c.Step != subject.Step && c.Step != 0).DistinctBy(c => c.Step);
        foreach (var (path, step) in checkpoints)
        {
            var model = EncoderExport.FromCheckpoint(path, r.Encoder, r.LastBlocks);
            Add(step, Score($"step {step}", Encoding(model, r), data, r, log).Scores);
        }
        Add(subject.Step, own);
        return points.OrderBy(p => p.Step).ToList();
    }

    /// <summary>Features (and tokens on request) of a data set by <paramref name="model"/>, on the request's device and threads.</summary>
    private static Func<IImageDataset, bool, EncodedFeatures> Encoding(EncoderModel model, ProbeRequest r) =>
        (ds, tokens) => FeatureExtractor.Encode(model, ds, tokens, threads: r.Threads, device: r.Device);

    private static FeatureSet Relabel(FeatureSet features, IImageDataset labelled)
    {
        var labels = new int[labelled.Count];
        for (int i = 0; i < labels.Length; i++) labels[i] = labelled.Label(i);
        return features.WithLabels(labels, labelled.NumClasses);
    }

    public static string Name(ProbeMethod m) => m == ProbeMethod.Knn ? "knn" : "linear";

    /// <summary>The encoder under test: its model, preset config (when known), run folder and step.</summary>
    private sealed record Subject(string Name, EncoderModel Model, IJepaConfig? Config, string Preset, string? RunDir, long Step)
    {
        public static Subject Open(ProbeRequest r)
        {
            if ((r.Checkpoint is null) == (r.Model is null)) throw new ConfigException("probe: give exactly one of --checkpoint RUN|FILE and --model FILE.onnx");
            if (r.Checkpoint is { } checkpoint)
            {
                string file = CheckpointFolder.Resolve(checkpoint);
                using var reader = Checkpoint.Open(file);
                var config = ConfigLoader.Parse(reader.Meta.ConfigYaml, reader.Path + " (config)");
                string preset = reader.Meta.Extra.TryGetValue("preset", out var p) ? p : "ijepa";
                return new Subject($"{checkpoint} (step {reader.Meta.Step}, {r.Encoder} encoder)", EncoderExport.FromCheckpoint(file, r.Encoder, r.LastBlocks),
                    config, preset, Directory.Exists(checkpoint) ? checkpoint : null, reader.Meta.Step);
            }
            if (r.LastBlocks > 0) throw new ConfigException("--last-blocks needs --checkpoint (an exported model has only the pooled output)");
            var model = EncoderModel.Load(r.Model!);
            var cfg = r.Config is null ? null
                : File.Exists(r.Config) ? ConfigLoader.Load(r.Config) : throw new ConfigException($"{r.Config}: config file not found");
            long step = model.Metadata.TryGetValue("ijepa.step", out var s) && long.TryParse(s, out long v) ? v : 0;
            return new Subject(r.Model!, model, cfg, cfg is null ? model.Preset : Graphs.PresetGraphs.PresetName(r.Config!), null, step);
        }

        public static long StepOf(string checkpoint)
        {
            using var reader = Checkpoint.Open(checkpoint);
            return reader.Meta.Step;
        }
    }

    /// <summary>The train and test images, one pair per task (the same images, labelled for that task).</summary>
    private sealed record ProbeData(string Description, IReadOnlyList<IImageDataset> Train, IReadOnlyList<IImageDataset> Test)
    {
        public static ProbeData Open(ProbeRequest r, Subject subject, TextWriter log)
        {
            bool scenes = r.Tasks.Any(t => t != ProbeTask.Class);
            if (scenes && r.Tasks.Contains(ProbeTask.Class))
                throw new ConfigException("--task: class (the data set's labels) cannot be mixed with count/size (the generated scenes)");
            if (scenes)
            {
                var options = new ScenesOptions { ImageSize = subject.Model.ImgSize };
                var tasks = r.Tasks.Select(t => t == ProbeTask.Count ? SceneTask.Count : SceneTask.Size).ToList();
                var pairs = tasks.Select(t => Split(split => new ScenesDataset(options, split, t), r)).ToList();
                return new ProbeData($"scenes ({string.Join(", ", r.Tasks.Select(t => t.ToString().ToLowerInvariant()))}){Suffix(r)}",
                    pairs.Select(p => p.Train).ToList(), pairs.Select(p => p.Test).ToList());
            }
            var config = subject.Config;
            if (r.Data is null && config is null)
                throw new ConfigException("probe --model: pass --data PATH [--kind K] or --config models/NAME.yaml to name the data set");
            IImageDataset Open(DataSplit split) =>
                r.Data is not null ? DatasetFactory.Open(r.Kind ?? "image_folder", r.Data, null, split, subject.Model.InChans, log)
                : config!.IJepaOrt.Dataset == DatasetKind.Scenes ? new ScenesDataset(new ScenesOptions(), split)
                : TrainingData.Open(config, log, split);
            string name = r.Data is not null ? $"{r.Kind ?? "image_folder"} {r.Data}" : config!.IJepaOrt.Dataset.YamlName();
            var (train, test) = Split(Open, r);
            return new ProbeData(name + Suffix(r), [train], [test]);
        }

        /// <summary>The train and test subsets, or with <c>--validation</c> two disjoint subsets of the training split.</summary>
        private static (IImageDataset Train, IImageDataset Test) Split(Func<DataSplit, IImageDataset> open, ProbeRequest r)
        {
            if (!r.Validation) return (DatasetSubset.Take(open(DataSplit.Train), r.TrainSize, r.Seed), DatasetSubset.Take(open(DataSplit.Test), r.TestSize, r.Seed));
            var all = open(DataSplit.Train);
            int heldOut = r.TestSize > 0 ? r.TestSize : Math.Min(10_000, all.Count / 6);
            if (heldOut >= all.Count) throw new ConfigException($"--validation: --test-size {heldOut} leaves no training image of {all.Count}");
            return DatasetSubset.Carve(all, r.TrainSize, heldOut, r.Seed);
        }

        private static string Suffix(ProbeRequest r) => r.Validation ? ", validation split of the training images" : "";
    }
}
