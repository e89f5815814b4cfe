// `ijepa-ort train`: pretrain with I-JEPA; with no config, the default small preset on Fashion-MNIST.
using System.Runtime.InteropServices;
using System.Text.Json;
using CommandLine;
using IJepa.Ort.Distributed;
using IJepa.Ort.Export;
using IJepa.Ort.Runtime;
using IJepa.Ort.Training;

namespace IJepa.Cli.Verbs;

[Verb("train", HelpText = "Pretrain an encoder with I-JEPA (default: models/fmnist-vit-micro.yaml on Fashion-MNIST).")]
public sealed class TrainOptions : CommonOptions
{
    [Option("config", HelpText = "Config YAML (default models/fmnist-vit-micro.yaml).")]
    public string Config { get; set; } = IJepa.Ort.Training.TrainOptions.DefaultConfig;

    [Option("out", HelpText = "Run folder (default runs/<preset>).")]
    public string? Out { get; set; }

    [Option("max-steps", HelpText = "Stop after this global step and write the latest checkpoint; schedules still follow the config.")]
    public long? MaxSteps { get; set; }

    [Option("resume", HelpText = "Continue from the run folder's latest checkpoint.")]
    public bool Resume { get; set; }

    [Option("device", Default = "cpu", HelpText = "cpu or cuda:N; under mpirun each rank takes cuda:(N + its local rank).")]
    public string Device { get; set; } = "cpu";

    [Option("comm", Default = "auto", HelpText = "Gradient averaging under mpirun: auto (NCCL on CUDA when libnccl.so.2 loads, else MPI), mpi, or nccl.")]
    public string Comm { get; set; } = "auto";

    [Option("seed", HelpText = "Override ijepa_ort.seed.")]
    public ulong? Seed { get; set; }

    [Option("set", Separator = ';', HelpText = "Config overrides: key=value;key=value (e.g. optimization.lr=0.001).")]
    public IEnumerable<string> Set { get; set; } = [];
}

public static class TrainVerb
{
    public static int Run(TrainOptions o)
    {
        var device = ExecutionDevice.Parse(o.Device);
        using var comm = Communicator.Create(device, o.Comm, Console.Error);
        try
        {
            return Train(o, device, comm);
        }
        catch (Exception ex) when (comm.Size > 1)
        {
            // One rank failing must not leave the others waiting in a collective: report, then end the whole job.
            Console.Error.Write($"rank {comm.Rank}/{comm.Size}: ");
            comm.Abort(Program.Report(ex, o.Verbose));
            throw;
        }
    }

    private static int Train(TrainOptions o, ExecutionDevice device, ICommunicator comm)
    {
        var overrides = ConfigOverrides.Parse(o.Set);
        if (o.Seed is ulong seed) overrides.Add(new("ijepa_ort.seed", seed.ToString()));
        var options = new IJepa.Ort.Training.TrainOptions
        {
            ConfigPath = o.Config, RunDir = o.Out, MaxSteps = o.MaxSteps, Resume = o.Resume, Device = device, Communicator = comm, Overrides = overrides,
        };
        bool root = comm.Rank == 0;
        var output = root ? Console.Out : TextWriter.Null;   // one voice for the job: rank 0's
        using var trainer = new Trainer(options, output);
        string ranks = comm.Size > 1 ? $", {comm.Size} ranks ({comm.Kind}), {trainer.Batch / comm.Size} images per rank" : "";
        output.WriteLine($"training {Path.GetFileNameWithoutExtension(o.Config)} on {o.Device}: steps {trainer.Step}→{trainer.StopAt}, batch {trainer.Batch}{ranks}, {trainer.IterationsPerEpoch} steps/epoch, run folder {trainer.RunDir}");
        var display = root ? new ProgressDisplay(Console.IsOutputRedirected) : null;
        // Ctrl+C or SIGTERM stops after the current step, writes the latest checkpoint and exits 130 / 143; a second one kills.
        using var stop = new CancellationTokenSource();
        PosixSignal? received = null;
        void OnSignal(PosixSignalContext c)
        {
            if (stop.IsCancellationRequested) return;
            c.Cancel = true;
            received = c.Signal;
            Console.Error.WriteLine($"\n{c.Signal}: stopping after this step and saving the latest checkpoint");
            stop.Cancel();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        var summary = trainer.Run(display is null ? null : display.Report, stop.Token);
        display?.Finish();
        if (!summary.RanksConsistent) Console.Error.WriteLine($"warning: rank {comm.Rank}: the ranks' parameters differ at the end (fingerprint {summary.Fingerprint})");
        if (summary.Stopped)
        {
            // A stopped run is not a finished one: say so, and exit as a shell reports the signal (128 + its number).
            if (root) Console.Error.WriteLine($"stopped at step {summary.Steps}; resume with --resume (checkpoint {summary.Checkpoint})");
            return received == PosixSignal.SIGINT ? 130 : 143;
        }
        if (!root) return 0;
        var exported = EncoderExport.Export(summary.RunDir, "target", Path.Combine(summary.RunDir, "encoder.onnx"));
        Console.WriteLine($"done: {summary.Steps} steps, final loss {summary.FinalLoss:F4}, {summary.SecondsPerStep * 1000:F0} ms/step, {summary.ImagesPerSecond:F0} img/s, {summary.SkippedImages} unreadable images skipped");
        if (summary.Ranks > 1) Console.WriteLine($"  ranks:      {summary.Ranks}, parameters {(summary.RanksConsistent ? "identical on every rank" : "DIFFER between ranks")} (fingerprint {summary.Fingerprint})");
        Console.WriteLine($"  checkpoint: {summary.Checkpoint}");
        Console.WriteLine($"  log:        {summary.Log}");
        Console.WriteLine($"  plot:       {summary.Plot}");
        Console.WriteLine($"  encoder:    {exported.Path} (target encoder, {exported.Parameters:N0} parameters)");
        if (o.Json)
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                run_dir = summary.RunDir, checkpoint = summary.Checkpoint, log = summary.Log, plot = summary.Plot, encoder = exported.Path,
                steps = summary.Steps, epoch = summary.Epoch, final_loss = summary.FinalLoss, mean_loss_last_epoch = summary.MeanLossLastEpoch,
                seconds_per_step = summary.SecondsPerStep, images_per_second = summary.ImagesPerSecond, skipped_images = summary.SkippedImages,
                ranks = summary.Ranks, ranks_consistent = summary.RanksConsistent, fingerprint = summary.Fingerprint,
            }));
        return 0;
    }
}

/// <summary>A one-line progress bar on a terminal; plain periodic lines when stdout is redirected.</summary>
public sealed class ProgressDisplay(bool redirected)
{
    private DateTime _lastPlain = DateTime.MinValue;

    public void Report(TrainProgress p)
    {
        var r = p.Record;
        string text = $"step {p.StepsDone}/{p.StopAt} ep {r.Epoch + 1} loss {r.Loss:F4} lr {r.Lr:E2} {p.ImagesPerSecond:F0} img/s ETA {p.Eta:hh\\:mm\\:ss}";
        if (!redirected)
        {
            int width = 24, filled = (int)(width * p.StepsDone / Math.Max(1, p.StopAt));
            Console.Write($"\r[{new string('#', filled)}{new string('.', width - filled)}] {text}   ");
        }
        else if (DateTime.UtcNow - _lastPlain > TimeSpan.FromSeconds(10) || p.StepsDone == p.StopAt)
        {
            Console.WriteLine(text);
            _lastPlain = DateTime.UtcNow;
        }
    }

    public void Finish()
    {
        if (!redirected) Console.WriteLine();
    }
}
