// What one reference step returns: the loss, the gradients and the intermediate tensors worth comparing.
namespace IJepa.GraphBuilder.Tests.Reference;

/// <param name="Loss">smooth_l1_loss(prediction, target features), beta 1, mean.</param>
/// <param name="Grads">d loss / d parameter for every encoder.* and predictor.* key (not target_encoder.*, not pos tables).</param>
/// <param name="TargetFeatures">[M*B, Nt, D], row m*B + b = target block m of image b.</param>
/// <param name="Prediction">[M*B, Nt, D], the same rows.</param>
/// <param name="TargetEncoderOutput">[B, N, D], after target_encoder.norm, before the no-affine layer_norm.</param>
public sealed record ReferenceResult(
    double Loss,
    IReadOnlyDictionary<string, double[]> Grads,
    double[] TargetFeatures,
    double[] Prediction,
    double[] TargetEncoderOutput);
