// Every name by which the runtime finds a graph file, input or output: one place, no strings glued elsewhere.
namespace IJepa.GraphBuilder.Recipes;

public static class ArtifactNames
{
    public const string Manifest = "manifest.json";
    public const string TrainStepFile = "train_step.onnx";
    public const string OptimizerFile = "optimizer.onnx";
    public const string EncoderFile = "encoder.onnx";
    public const string EmaFile = "ema.onnx";

    // Symbolic dims.
    public const string Batch = "B";
    public const string ContextLength = "Nc";
    public const string TargetLength = "Nt";
    public const string FlatLength = "P";

    // Train step.
    public const string Images = "images";                    // [B, C, H, W]
    public const string ContextIndex = "context_index";       // int64 [B, Nc]
    public const string TargetIndex = "target_index";         // int64 [M, B, Nt]
    public const string Loss = "loss";                        // []
    public const string Prediction = "prediction";            // [M·B, Nt, D]
    public const string TargetFeatures = "target_features";   // [M·B, Nt, D]
    public static string Grad(string parameter) => "grad." + parameter;

    // Encoder (inference).
    public const string Features = "features";                // [B, N, D]
    public const string Pooled = "pooled";                    // [B, D]

    // Optimizer over flat buffers.
    public const string Params = "params";
    public const string Grads = "grads";
    public const string AdamM = "m";
    public const string AdamV = "v";
    public const string DecayMask = "wd_mask";
    public const string LearningRate = "lr";
    public const string WeightDecay = "wd";
    public const string Step = "step";
    public static string Updated(string buffer) => buffer + "_out";

    // EMA over flat buffers.
    public const string Target = "target";
    public const string Online = "online";
    public const string Momentum = "momentum";

    // Parameter roles (scopes) and their flat buffers.
    public const string EncoderScope = "encoder";
    public const string PredictorScope = "predictor";
    public const string TargetScope = "target_encoder";
}
