// The I-JEPA trainer: batches in, one TrainingStep per batch (ijepa src/train.py), logs and checkpoints on rank 0.
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using IJepa.Ort.Checkpoints;
using IJepa.Ort.Data;
using IJepa.Ort.Distributed;
using IJepa.Ort.Errors;

namespace IJepa.Ort.Training;

public sealed partial class Trainer : IDisposable
{
    /// <summary>
    /// Trains until the schedule ends, <see cref="TrainOptions.MaxSteps"/>, or a stop asked for on any rank (all ranks
    /// stop after the same step); writes latest at every epoch end, every <c>ijepa_ort.checkpoint_every</c> and at the stop.
    /// </summary>
    public TrainSummary Run(Action<TrainProgress>? progress = null, CancellationToken cancel = default)
    {
        var clock = Stopwatch.StartNew();
        long startStep = _k;
        var lastEpochLosses = new List<double>();
        float lastLoss = float.NaN;
        // With several ranks a stop is agreed after a step (below): a rank leaving while it waits for data would strand the others.
        var waitCancel = _comm.Size == 1 ? cancel : CancellationToken.None;
        while (_k < _stopAt && TryNextBatch(out var batch, waitCancel))
        {
            var record = TrainStep(batch);
            lastLoss = record.Loss;
            if (record.Itr == 0) lastEpochLosses.Clear();
            lastEpochLosses.Add(record.Loss);
            _log?.Append(record);
            KillPoint.Reach("step");
            double perStep = clock.Elapsed.TotalSeconds / (_k - startStep);
            progress?.Invoke(new TrainProgress(record, _k, _stopAt, Batch / perStep, TimeSpan.FromSeconds(perStep * (_stopAt - _k))));
            if (_k % _ipe == 0) EndEpoch();
            else if (_k < _stopAt && _config.IJepaOrt.CheckpointEvery.Due(_k, _sinceSave.Elapsed)) SaveLatest();
            if (_comm.Any(cancel.IsCancellationRequested)) break;
        }
        if (_k % _ipe != 0 || _k == startStep) SaveLatest();
        _step.SyncToHost();
        ulong fingerprint = _step.Fingerprint();
        bool consistent = _comm.AllEqual(fingerprint);
        _log?.Flush();
        var plot = _comm.IsRoot() ? LossPlot.Save(_runDir, _ipe, $"{_preset}: I-JEPA loss") : "";
        double seconds = clock.Elapsed.TotalSeconds / Math.Max(1, _k - startStep);
        return new TrainSummary(_runDir, CheckpointFolder.FindLatest(_runDir) ?? "", Path.Combine(_runDir, TrainLog.CsvFile), plot,
            _k, (int)(_k / _ipe), lastLoss, lastEpochLosses.DefaultIfEmpty(double.NaN).Average(), seconds, Batch / seconds, _loader.SkippedCount,
            _comm.Size, consistent, fingerprint.ToString("x16"), Stopped: _k < _stopAt);
    }

    /// <summary>Time since the latest checkpoint was written (rank 0), for <c>ijepa_ort.checkpoint_every.minutes</c>.</summary>
    private readonly Stopwatch _sinceSave = Stopwatch.StartNew();

    /// <summary>The next batch, or false when cancelled while waiting for it.</summary>
    private bool TryNextBatch([MaybeNullWhen(false)] out ImageBatch batch, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        try { return _loader.TryNext(out batch, cancel); }
        catch (OperationCanceledException) { batch = null; return false; }
        finally { _step.Phases.Add(StepPhase.Data, clock.Elapsed); }
    }

    /// <summary>One I-JEPA step on this rank's share of the batch; stops the run, before any update, on a non-finite loss.</summary>
    private StepRecord TrainStep(ImageBatch batch)
    {
        var clock = Stopwatch.StartNew();
        batch.CopyTo(_step.Images);
        var schedule = _schedules.At(_k);
        var result = _step.Run(_k, schedule);
        if (!result.Applied)
            throw new IJepaException($"loss is {result.Loss} at step {_k}: training stopped before the update; the last checkpoint in {CheckpointFolder.FolderOf(_runDir)} is intact");
        var record = new StepRecord((int)(_k / _ipe), (int)(_k % _ipe), _k, (float)result.Loss, result.ContextLength, result.TargetLength,
            clock.Elapsed.TotalMilliseconds, schedule.Lr, schedule.Wd, schedule.Momentum, _loader.SkippedCount);
        _k++;
        return record;
    }

    /// <summary>
    /// Rank 0 at an epoch end: the epoch's records (summary, online evaluation) are written before the checkpoint of that
    /// step, so a resume from it finds them and one from an earlier checkpoint cuts them; then ep&lt;N&gt; is copied from it.
    /// </summary>
    private void EndEpoch()
    {
        if (!_comm.IsRoot()) return;
        int epoch = (int)(_k / _ipe);
        _log!.Metric(new { epoch, step = _k, mean_loss = _log.EpochLosses.DefaultIfEmpty(double.NaN).Average(), skipped_images = _loader.SkippedCount });
        _step.SyncToHost();
        EvaluateOnline(epoch);
        SaveLatest();
        if (epoch % _config.IJepaOrt.CheckpointFreq == 0) CheckpointFolder.CopyLatestToNumbered(_runDir, epoch);
        LossPlot.Save(_runDir, _ipe, $"{_preset}: I-JEPA loss");
    }

    /// <summary>Rank 0 writes the latest checkpoint (the state copied off the device first); the other ranks go on to the next step.</summary>
    private void SaveLatest()
    {
        if (!_comm.IsRoot()) return;
        _step.SyncToHost();
        _log!.Flush();
        var meta = new CheckpointMeta
        {
            Step = _k, Epoch = (int)(_k / _ipe), Seed = (long)_seed, ConfigYaml = _configYaml, PresetHash = _step.Store.Manifest.PresetHash,
            Extra = new Dictionary<string, string>
            {
                ["preset"] = _preset, ["world_size"] = _comm.Size.ToString(), [UnreadableKey] = string.Join(",", _loader.UnreadableIndices),
            },
        };
        CheckpointFolder.SaveLatest(_runDir, meta, StoreCheckpoint.Tensors(_step.Store));
        _sinceSave.Restart();
    }
}
