// Trainer set-up: config, run folder, data, graphs, schedules, the step (fresh or resumed, published from rank 0).
using IJepa.Ort.Checkpoints;
using IJepa.Ort.Config;
using IJepa.Ort.Data;
using IJepa.Ort.Distributed;
using IJepa.Ort.Errors;
using IJepa.Ort.Graphs;
using IJepa.Ort.Masks;

namespace IJepa.Ort.Training;

public sealed partial class Trainer
{
    private readonly IJepaConfig _config;
    private readonly string _configYaml, _preset, _runDir;
    private readonly ulong _seed;
    private readonly long _ipe, _stopAt;
    private readonly ICommunicator _comm;
    private readonly TrainingStep _step;
    private readonly BatchLoader _loader;
    private readonly Schedules _schedules;
    private readonly TrainLog? _log;   // rank 0 only: one process writes the run folder
    private long _k;

    public Trainer(TrainOptions options, TextWriter log)
    {
        if (!File.Exists(options.ConfigPath)) throw new ConfigException($"{options.ConfigPath}: config file not found");
        _comm = options.Communicator;
        _config = ConfigLoader.Load(options.ConfigPath, options.Overrides);
        _preset = PresetGraphs.PresetName(options.ConfigPath);
        _runDir = options.RunDir ?? Path.Combine("runs", _preset);
        _seed = _config.IJepaOrt.Seed;
        if (_comm.IsRoot()) Directory.CreateDirectory(_runDir);

        // Rank 0 first: a data download or a graph build into the run folder happens once; the others find it done.
        var dataset = _comm.RootFirst(() => TrainingData.Open(_config, log));
        _ipe = _config.IterationsPerEpoch(dataset.Count);
        _schedules = Schedules.From(_config, _ipe);
        _stopAt = Math.Min(_schedules.TotalSteps, options.MaxSteps ?? long.MaxValue);
        var (graphDir, manifest) = _comm.RootFirst(() =>
            PresetGraphs.Resolve(_config, _preset, Path.Combine(options.GraphsRoot, _preset), Path.Combine(_runDir, "graphs")));

        var masks = new MultiBlockMaskCollator(_config.Masking(), _seed);
        _step = new TrainingStep(new StepSetup(graphDir, manifest, _config.Data.BatchSize, options.Device.ForLocalRank(_comm.LocalRank), _comm, masks)
        {
            Threads = _config.IJepaOrt.Threads, ResidentCopy = options.ResidentCopy,
        });
        if (_comm.IsRoot()) _k = LoadOrInitialize(options.Resume, log);
        _k = _comm.Broadcast(_k);
        _step.Publish();
        _configYaml = ConfigWriter.Write(_config);

        _loader = new BatchLoader(dataset, TrainingData.Augmentation(_config, dataset.Channels), new BatchLoaderOptions
        {
            BatchSize = _step.LocalBatch, Shard = _comm.Rank, Shards = _comm.Size,
            NumWorkers = Math.Clamp(_config.Data.NumWorkers, 1, Environment.ProcessorCount), Seed = _seed,
            Ipe = (int)_ipe, StartEpoch = (int)(_k / _ipe), StartStep = (int)(_k % _ipe), Epochs = _config.Optimization.Epochs,
            Unreadable = _knownUnreadable,
        });
        if (!_comm.IsRoot()) return;
        AtomicFile.WriteAllText(Path.Combine(_runDir, "config.yaml"), _configYaml);   // a kill mid-write leaves the old one
        _log = new TrainLog(_runDir, _k, _ipe);
    }

    /// <summary>Images per step, over all ranks.</summary>
    public int Batch => _step.GlobalBatch;
    public long Step => _k;
    public long StopAt => _stopAt;
    public long IterationsPerEpoch => _ipe;
    public string RunDir => _runDir;
    public int Ranks => _comm.Size;
    /// <summary>The host parameter store (current after the run; on a GPU, synchronised at checkpoints).</summary>
    public Runtime.ParameterStore Store => _step.Store;

    /// <summary>Rank 0: the latest checkpoint's state when resuming, else a fresh initialisation. Returns the step to start at.</summary>
    private long LoadOrInitialize(bool resume, TextWriter log)
    {
        foreach (var leftover in CheckpointFolder.RemoveLeftovers(_runDir)) log.WriteLine($"removed {leftover}, left by an interrupted save");
        var latest = CheckpointFolder.FindLatest(_runDir);
        if (resume && latest is not null)
        {
            using var reader = Checkpoint.Open(latest);
            StoreCheckpoint.Load(reader, _step.Store);
            long step = reader.Meta.Step;
            _knownUnreadable = UnreadableFrom(reader.Meta);
            log.WriteLine($"resuming from {latest} at step {step}");
            // A kill during the copy to ep<N> right after this epoch-end checkpoint lost that copy: make it again.
            int epoch = (int)(step / _ipe);
            if (Path.GetFileName(latest) == CheckpointFolder.LatestFileName && step > 0 && step % _ipe == 0 && epoch % _config.IJepaOrt.CheckpointFreq == 0
                && CheckpointFolder.RestoreNumbered(_runDir, epoch) is { } restored)
                log.WriteLine($"re-created {restored}, lost to an interrupted copy");
            return step;
        }
        if (resume) log.WriteLine($"no checkpoint in {CheckpointFolder.FolderOf(_runDir)}: starting fresh");
        _step.Store.Initialize(_seed);
        return 0;
    }

    /// <summary>Checkpoint metadata key: the unreadable images met before it (sorted indices), so the skipped count goes on.</summary>
    private const string UnreadableKey = "unreadable";

    private int[]? _knownUnreadable;   // rank 0, resuming: from the checkpoint

    private static int[]? UnreadableFrom(CheckpointMeta meta) =>
        meta.Extra.TryGetValue(UnreadableKey, out var text) && text.Length > 0
            ? text.Split(',').Select(t => int.TryParse(t, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int i) ? i : -1)
                .Where(i => i >= 0).ToArray()
            : null;

    public void Dispose()
    {
        _log?.Dispose();
        _loader.Dispose();
        _step.Dispose();
    }
}
