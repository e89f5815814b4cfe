// Trainer set-up: config, run folder, graphs, data, masks, schedules, parameters (fresh or resumed) and sessions.
using IJepa.Ort.Checkpoints;
using IJepa.Ort.Config;
using IJepa.Ort.Data;
using IJepa.Ort.Errors;
using IJepa.Ort.Graphs;
using IJepa.Ort.Masks;
using IJepa.Ort.Runtime;

namespace IJepa.Ort.Training;

public sealed partial class Trainer
{
    private readonly IJepaConfig _config;
    private readonly string _configYaml, _preset, _runDir;
    private readonly ulong _seed;
    private readonly long _ipe, _stopAt;
    private readonly ParameterStore _store;
    private readonly TrainStepSession _session;
    private readonly OptimizerSession _optimizer;
    private readonly BatchLoader _loader;
    private readonly MultiBlockMaskCollator _collator;
    private readonly MaskBatch _masks;
    private readonly Schedules _schedules;
    private readonly TrainLog _log;
    private long _step;

    public Trainer(TrainOptions options, TextWriter log)
    {
        if (!File.Exists(options.ConfigPath)) throw new ConfigException($"{options.ConfigPath}: config file not found");
        _config = ConfigLoader.Load(options.ConfigPath, options.Overrides);
        _preset = PresetGraphs.PresetName(options.ConfigPath);
        _runDir = options.RunDir ?? Path.Combine("runs", _preset);
        _seed = _config.IJepaOrt.Seed;
        Batch = _config.Data.BatchSize;
        Directory.CreateDirectory(_runDir);

        var dataset = TrainingData.Open(_config, log);
        _ipe = _config.IterationsPerEpoch(dataset.Count);
        _schedules = Schedules.From(_config, _ipe);
        _stopAt = Math.Min(_schedules.TotalSteps, options.MaxSteps ?? long.MaxValue);

        var (graphDir, manifest) = PresetGraphs.Resolve(_config, _preset, Path.Combine(options.GraphsRoot, _preset), Path.Combine(_runDir, "graphs"));
        _store = new ParameterStore(manifest);
        var latest = CheckpointFolder.FindLatest(_runDir);
        if (options.Resume && latest is not null)
        {
            using var reader = Checkpoint.Open(latest);
            StoreCheckpoint.Load(reader, _store);
            _step = reader.Meta.Step;
            log.WriteLine($"resuming from {latest} at step {_step}");
        }
        else
        {
            if (options.Resume) log.WriteLine($"no checkpoint in {CheckpointFolder.FolderOf(_runDir)}: starting fresh");
            _store.Initialize(_seed);
        }
        _configYaml = ConfigWriter.Write(_config);
        File.WriteAllText(Path.Combine(_runDir, "config.yaml"), _configYaml);

        using (var sessionOptions = options.Device.CreateOptions(_config.IJepaOrt.Threads))
        {
            _session = new TrainStepSession(graphDir, _store, Batch, sessionOptions);
            _optimizer = new OptimizerSession(graphDir, _store, sessionOptions);
        }
        _collator = new MultiBlockMaskCollator(MaskSettings.From(_config), _seed);
        _masks = _collator.NewBatch(Batch);
        _loader = new BatchLoader(dataset, TrainingData.Augmentation(_config, dataset.Channels), new BatchLoaderOptions
        {
            BatchSize = Batch, NumWorkers = Math.Clamp(_config.Data.NumWorkers, 1, Environment.ProcessorCount), Seed = _seed,
            Ipe = (int)_ipe, StartEpoch = (int)(_step / _ipe), StartStep = (int)(_step % _ipe), Epochs = _config.Optimization.Epochs,
        });
        _log = new TrainLog(_runDir, _step, _ipe);
    }

    /// <summary>Images per step.</summary>
    public int Batch { get; }
    public long Step => _step;
    public long StopAt => _stopAt;
    public long IterationsPerEpoch => _ipe;
    public string RunDir => _runDir;
    public ParameterStore Store => _store;

    public void Dispose()
    {
        _log.Dispose();
        _loader.Dispose();
        _optimizer.Dispose();
        _session.Dispose();
        _store.Dispose();
    }
}
