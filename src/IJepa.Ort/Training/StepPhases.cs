// Where a train step's time goes: wall time per phase, summed over steps, read as milliseconds per step.
using System.Diagnostics;

namespace IJepa.Ort.Training;

public enum StepPhase { Data, Masks, TrainGraph, Allreduce, Optimizer, Ema }

public sealed class StepPhases
{
    private readonly long[] _ticks = new long[Enum.GetValues<StepPhase>().Length];
    private StepPhase _current;
    private long _since;

    /// <summary>Steps the sums cover.</summary>
    public long Steps { get; private set; }

    /// <summary>Starts timing <paramref name="phase"/>.</summary>
    public void Begin(StepPhase phase)
    {
        _current = phase;
        _since = Stopwatch.GetTimestamp();
    }

    /// <summary>Ends the current phase and starts <paramref name="phase"/>.</summary>
    public void Next(StepPhase phase)
    {
        End();
        Begin(phase);
    }

    /// <summary>Ends the current phase.</summary>
    public void End() => _ticks[(int)_current] += Stopwatch.GetTimestamp() - _since;

    /// <summary>Adds time measured elsewhere (the wait for a batch) to <paramref name="phase"/>.</summary>
    public void Add(StepPhase phase, TimeSpan elapsed) => _ticks[(int)phase] += (long)(elapsed.TotalSeconds * Stopwatch.Frequency);

    /// <summary>One step done.</summary>
    public void CountStep() => Steps++;

    public void Reset()
    {
        Array.Clear(_ticks);
        Steps = 0;
    }

    /// <summary>Mean milliseconds per step of each phase, by its snake_case name.</summary>
    public IReadOnlyDictionary<string, double> MillisecondsPerStep() => Enum.GetValues<StepPhase>().ToDictionary(
        Name, p => Steps == 0 ? 0 : _ticks[(int)p] * 1000.0 / Stopwatch.Frequency / Steps);

    private static string Name(StepPhase p) => p switch
    {
        StepPhase.TrainGraph => "train_graph",
        _ => p.ToString().ToLowerInvariant(),
    };
}
