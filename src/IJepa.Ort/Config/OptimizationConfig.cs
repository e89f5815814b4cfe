// The `optimization:` section of an ijepa config (facebookresearch/ijepa src/helper.py init_opt, src/train.py).
namespace IJepa.Ort.Config;

/// <summary>
/// <c>optimization:</c> — AdamW and its schedules (<c>Training/Schedules.cs</c>). Defaults are the values all
/// four official configs share; <c>epochs</c> and <c>warmup</c> differ between them and are required.
/// </summary>
public sealed record OptimizationConfig
{
    /// <summary><c>ema</c>: target-encoder momentum, linear from the first value to the second over the run. Default [0.996, 1.0].</summary>
    public (double Start, double End) Ema { get; init; } = (0.996, 1.0);

    /// <summary><c>ipe_scale</c>: stretches the LR, WD and momentum schedules to <c>ipe_scale·epochs</c> epochs. Default 1.0.</summary>
    public double IpeScale { get; init; } = 1.0;

    /// <summary><c>weight_decay</c>: weight decay at step 0 of the cosine. Default 0.04.</summary>
    public double WeightDecay { get; init; } = 0.04;

    /// <summary><c>final_weight_decay</c>: weight decay at the end of the cosine. Default 0.4.</summary>
    public double FinalWeightDecay { get; init; } = 0.4;

    /// <summary><c>epochs</c>: training epochs. Required.</summary>
    public required int Epochs { get; init; }

    /// <summary><c>warmup</c>: linear LR warmup in epochs; fractions allowed (upstream warms up for <c>int(warmup·ipe)</c> steps). Required.</summary>
    public required double Warmup { get; init; }

    /// <summary><c>start_lr</c>: LR at the start of warmup. Default 0.0002.</summary>
    public double StartLr { get; init; } = 0.0002;

    /// <summary><c>lr</c>: peak LR, reached at the end of warmup. Default 0.001.</summary>
    public double Lr { get; init; } = 0.001;

    /// <summary><c>final_lr</c>: LR at the end of the cosine, and its floor. Default 1.0e-06.</summary>
    public double FinalLr { get; init; } = 1.0e-06;
}
