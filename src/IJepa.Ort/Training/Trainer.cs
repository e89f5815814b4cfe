// The I-JEPA trainer: masks, forward + backward, AdamW and EMA per step (ijepa src/train.py), over ONNX Runtime.
using System.Diagnostics;
using IJepa.Ort.Checkpoints;
using IJepa.Ort.Data;
using IJepa.Ort.Errors;
using IJepa.Ort.Masks;
using IJepa.Ort.Runtime;

namespace IJepa.Ort.Training;

public sealed partial class Trainer : IDisposable
{
    /// <summary>Trains until the schedule ends or <see cref="TrainOptions.MaxSteps"/>; writes latest at every epoch end and at the stop.</summary>
    public TrainSummary Run(Action<TrainProgress>? progress = null, CancellationToken cancel = default)
    {
        var clock = Stopwatch.StartNew();
        long startStep = _step;
        var lastEpochLosses = new List<double>();
        float lastLoss = float.NaN;
        while (_step < _stopAt && !cancel.IsCancellationRequested && TryNextBatch(out var batch, cancel))
        {
            var record = TrainStep(batch);
            lastLoss = record.Loss;
            if (record.Itr == 0) lastEpochLosses.Clear();
            lastEpochLosses.Add(record.Loss);
            _log.Append(record);
            double perStep = clock.Elapsed.TotalSeconds / (_step - startStep);
            progress?.Invoke(new TrainProgress(record, _step, _stopAt, Batch / perStep, TimeSpan.FromSeconds(perStep * (_stopAt - _step))));
            if (_step % _ipe == 0) EndEpoch(lastEpochLosses);
        }
        if (_step % _ipe != 0 || _step == startStep) SaveLatest();
        _log.Flush();
        var plot = LossPlot.Save(_runDir, _ipe, $"{_preset}: I-JEPA loss");
        double seconds = clock.Elapsed.TotalSeconds / Math.Max(1, _step - startStep);
        return new TrainSummary(_runDir, CheckpointFolder.FindLatest(_runDir) ?? "", Path.Combine(_runDir, TrainLog.CsvFile), plot,
            _step, (int)(_step / _ipe), lastLoss, lastEpochLosses.DefaultIfEmpty(double.NaN).Average(), seconds, Batch / seconds, _loader.SkippedCount);
    }

    /// <summary>The next batch, or false when cancelled while waiting for it.</summary>
    private bool TryNextBatch(out ImageBatch batch, CancellationToken cancel)
    {
        try { return _loader.TryNext(out batch, cancel); }
        catch (OperationCanceledException) { batch = null!; return false; }
    }

    /// <summary>One I-JEPA step: sample masks, forward + backward, AdamW, EMA of the target encoder.</summary>
    private StepRecord TrainStep(ImageBatch batch)
    {
        var clock = Stopwatch.StartNew();
        _collator.Sample(_step, _masks);                                                 // 1. masks for this step
        _session.LoadMasks(_masks);
        batch.CopyTo(_session.Images);
        var (lr, wd, momentum) = _schedules.At(_step);
        float loss = _session.Run(_store.Current, _masks.ContextLength, _masks.TargetLength); // 2. forward + backward
        if (!float.IsFinite(loss))
            throw new IJepaException($"loss is {loss} at step {_step}: training stopped before the update; the last checkpoint in {CheckpointFolder.FolderOf(_runDir)} is intact");
        _optimizer.Run(lr, wd, _step + 1);                                               //    AdamW
        _store.UpdateTarget(momentum);                                                   // 3. momentum update of the target encoder
        var record = new StepRecord((int)(_step / _ipe), (int)(_step % _ipe), _step, loss, _masks.ContextLength, _masks.TargetLength,
            clock.Elapsed.TotalMilliseconds, lr, wd, momentum, _loader.SkippedCount);
        _step++;
        return record;
    }

    private void EndEpoch(List<double> losses)
    {
        int epoch = (int)(_step / _ipe);
        _log.Metric(new { epoch, step = _step, mean_loss = losses.Average(), skipped_images = _loader.SkippedCount });
        SaveLatest();
        if (epoch % _config.IJepaOrt.CheckpointFreq == 0) CheckpointFolder.CopyLatestToNumbered(_runDir, epoch);
        EvaluateOnline(epoch);
        _log.Flush();
        LossPlot.Save(_runDir, _ipe, $"{_preset}: I-JEPA loss");
    }

    private void SaveLatest()
    {
        _log.Flush();
        var meta = new CheckpointMeta
        {
            Step = _step, Epoch = (int)(_step / _ipe), Seed = (long)_seed, ConfigYaml = _configYaml, PresetHash = _store.Manifest.PresetHash,
            Extra = new Dictionary<string, string> { ["preset"] = _preset },
        };
        CheckpointFolder.SaveLatest(_runDir, meta, StoreCheckpoint.Tensors(_store));
    }
}
