// One I-JEPA train step as the trainer, `bench` and every rank of a job run it (ijepa src/train.py train_step):
// masks for the global batch, this rank's share through forward + backward, gradients averaged over the ranks,
// AdamW, then the EMA of the target encoder. On a GPU every buffer stays in device memory.
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Runtime.InteropServices;
using IJepa.Ort.Distributed;
using IJepa.Ort.Errors;
using IJepa.Ort.Masks;
using IJepa.Ort.Runtime;
using Microsoft.ML.OnnxRuntime;
using N = IJepa.GraphBuilder.Recipes.ArtifactNames;

namespace IJepa.Ort.Training;

/// <summary>What one step reports: the loss averaged over every rank's share of the batch, and the mask lengths.</summary>
public readonly record struct StepResult(double Loss, int ContextLength, int TargetLength, bool Applied);

/// <summary>
/// Owns the host parameter store, its resident copy (device memory on CUDA; the host store itself on the CPU), the
/// sessions bound to it once, and the masks. Rank r of N trains images [r·B, (r+1)·B) of every global batch of N·B, so N
/// ranks follow exactly the updates of one process with the same global batch, up to float summation order.
/// </summary>
public sealed class TrainingStep : IDisposable
{
    private readonly ICommunicator _comm;
    private readonly IMaskSource _maskSource;
    private readonly ParameterStore _host, _resident;
    private readonly TrainStepSession _train;
    private readonly OptimizerSession _optimizer;
    private readonly EmaSession? _ema;
    private readonly int _first;

    public TrainingStep(StepSetup setup)
    {
        _comm = setup.Communicator;
        if (setup.GlobalBatch % _comm.Size != 0)
            throw new ConfigException($"data.batch_size: the global batch {setup.GlobalBatch} does not split evenly over {_comm.Size} ranks");
        GlobalBatch = setup.GlobalBatch;
        LocalBatch = GlobalBatch / _comm.Size;
        _first = _comm.Rank * LocalBatch;
        _maskSource = setup.Masks;
        Masks = setup.Masks.NewBatch(GlobalBatch);

        var sessions = new SessionFactory(setup.Device, setup.Threads) { ProfilePrefix = setup.ProfilePrefix };
        sessions.CreateOptions().Dispose();                                 // first: says plainly when the device is missing
        bool resident = setup.Device.IsCuda || setup.ResidentCopy;
        // The sessions open (ORT's session initialisation: about a second for tiny32's train graph, single-threaded) while
        // the stores are allocated and zeroed (hundreds of MiB of fresh pages): on two cores the two overlap.
        string[] files = resident ? [N.TrainStepFile, N.OptimizerFile, N.EmaFile] : [N.TrainStepFile, N.OptimizerFile];
        var opening = files.Select(f => Task.Run(() => sessions.Open(Path.Combine(setup.GraphDirectory, f)))).ToArray();
        try
        {
            _host = new ParameterStore(setup.Manifest);
            var memory = setup.Device.IsCuda ? DeviceMemory.Cuda(setup.Device.Index) : DeviceMemory.Host;
            _resident = resident ? new ParameterStore(setup.Manifest, memory, targetSides: 2) : _host;
        }
        catch
        {
            Close(opening);
            _host?.Dispose();
            throw;
        }
        var opened = Opened(opening);
        _train = new TrainStepSession(opened[0], _resident, LocalBatch);
        _optimizer = new OptimizerSession(opened[1], _resident);
        _ema = resident ? new EmaSession(opened[2], _resident) : null;
    }

    /// <summary>The sessions once all are open; where one failed, the others are closed and its error is thrown as it was.</summary>
    private static InferenceSession[] Opened(Task<InferenceSession>[] opening)
    {
        try
        {
            Task.WaitAll(opening);
        }
        catch (AggregateException ex)
        {
            Close(opening);
            ExceptionDispatchInfo.Throw(ex.InnerExceptions[0]);
        }
        return [.. opening.Select(t => t.Result)];
    }

    /// <summary>Waits for every session and disposes those that opened.</summary>
    private static void Close(Task<InferenceSession>[] opening)
    {
        ((IAsyncResult)Task.WhenAll(opening)).AsyncWaitHandle.WaitOne();
        foreach (var t in opening.Where(t => t.IsCompletedSuccessfully)) t.Result.Dispose();
    }

    public int GlobalBatch { get; }
    /// <summary>Images this rank trains per step.</summary>
    public int LocalBatch { get; }
    /// <summary>The training state on the host: what checkpoints read and write. After <see cref="SyncToHost"/> it is current.</summary>
    public ParameterStore Store => _host;
    /// <summary>This rank's images [LocalBatch, C, H, W], read by the next <see cref="Run"/>.</summary>
    public Span<float> Images => _train.Images;
    /// <summary>The masks of the last step, for the whole global batch.</summary>
    public MaskBatch Masks { get; }
    public StepPhases Phases { get; } = new();

    /// <summary>Rank 0's host state (fresh or loaded) to every rank, then into the resident copy: call once before training.</summary>
    public void Publish()
    {
        foreach (var buffer in _host.StateBuffers()) _comm.Broadcast(buffer);
        if (!ReferenceEquals(_resident, _host)) _resident.CopyFrom(_host);
    }

    /// <summary>The resident state back into <see cref="Store"/> (device → host on a GPU; nothing on the CPU).</summary>
    public void SyncToHost()
    {
        if (!ReferenceEquals(_resident, _host)) _host.CopyFrom(_resident);
    }

    /// <summary>The last step's averaged gradients, copied into a host buffer.</summary>
    public void CopyGradients(NativeBuffer<float> into) => into.CopyFrom(_resident.Grads);

    /// <summary>
    /// Global step <paramref name="step"/> (0-based) with the images in <see cref="Images"/>. A non-finite loss leaves the
    /// parameters untouched (<see cref="StepResult.Applied"/> false).
    /// </summary>
    public StepResult Run(long step, ScheduleValues schedule)
    {
        Phases.Begin(StepPhase.Masks);
        _maskSource.Sample(step, Masks);                                    // 1. masks of the global batch
        _train.LoadMasks(Masks, _first);                                    //    this rank's rows
        int nc = Masks.ContextLength, nt = Masks.TargetLength;
        Phases.Next(StepPhase.TrainGraph);
        float local = _train.Run(_resident.Current, nc, nt);                // 2. forward + backward
        Phases.Next(StepPhase.Allreduce);
        _comm.AverageInPlace(_resident.Grads);                              //    gradients: mean over ranks
        double loss = _comm.Mean(local);
        if (!double.IsFinite(loss))
        {
            Phases.End();
            return new StepResult(loss, nc, nt, Applied: false);
        }
        Phases.Next(StepPhase.Optimizer);
        _optimizer.Run(_resident.Current, schedule.Lr, schedule.Wd, step + 1); //    AdamW: side s → 1 − s
        _resident.Swap();
        Phases.Next(StepPhase.Ema);
        if (_ema is null) _resident.UpdateTarget(schedule.Momentum);       // 3. momentum update of the target encoder
        else _ema.Run(1 - _resident.Current, schedule.Momentum);
        Phases.End();
        Phases.CountStep();
        return new StepResult(loss, nc, nt, Applied: true);
    }

    /// <summary>A 64-bit fingerprint (SHA-256 prefix) of the host state: equal on every rank of a healthy job.</summary>
    public ulong Fingerprint()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var buffer in _host.StateBuffers())
            foreach (var (offset, count) in buffer.Slices(1 << 28))
                hash.AppendData(MemoryMarshal.AsBytes(buffer.Slice(offset, count)));
        return BitConverter.ToUInt64(hash.GetHashAndReset(), 0);
    }

    public void Dispose()
    {
        _ema?.Dispose();
        _optimizer.Dispose();
        _train.Dispose();
        if (!ReferenceEquals(_resident, _host)) _resident.Dispose();
        _host.Dispose();
    }
}
