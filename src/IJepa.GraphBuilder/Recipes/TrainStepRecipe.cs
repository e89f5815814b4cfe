// The I-JEPA train-step graph (ijepa src/train.py train_step, steps 1–2): loss and every gradient; the opt-in
// objective levers (data2vec targets, C-JEPA's variance–covariance term) when the spec asks for them.
using IJepa.GraphBuilder.Core;
using IJepa.GraphBuilder.Models;
using IJepa.GraphBuilder.Modules;
using N = IJepa.GraphBuilder.Recipes.ArtifactNames;

namespace IJepa.GraphBuilder.Recipes;

public static class TrainStepRecipe
{
    /// <summary>
    /// images + context/target indices + the parameters of the encoder, predictor and (frozen) target encoder →
    /// loss, prediction, target features and one gradient per trainable parameter.
    /// </summary>
    public static Graph Build(ArtifactSpec spec)
    {
        var g = new Graph("ijepa_train_step");
        var nn = new Nn(g, Numerics.ForTraining(spec.Precision));
        var enc = spec.Encoder;
        Dim b = Dim.Sym(N.Batch);
        var images = g.Input(N.Images, nn.Type, b, enc.InChans, enc.ImgSize, enc.ImgSize);              // [B, C, H, W]
        var contextIndex = g.Input(N.ContextIndex, DType.Int64, b, Dim.Sym(N.ContextLength));          // [B, Nc]
        var targetIndex = g.Input(N.TargetIndex, DType.Int64, spec.NumPredMasks, b, Dim.Sym(N.TargetLength)); // [M, B, Nt]
        var flatTargets = Losses.FlattenBlocks(g, targetIndex);                                         // [M·B, Nt]

        var objective = spec.Objective;
        if (objective.Problem(enc.Depth) is string problem) throw new ArgumentException(problem, nameof(spec));

        Value targets;
        using (g.Scope(N.TargetScope, trainable: false))
        {
            var blocks = new List<Value>();
            var h = VisionTransformer.Build(nn, images, enc, blockOutputs: blocks);                     // [B, N, D]
            targets = objective.TargetBlocks == 1
                ? Losses.Targets(nn, h, flatTargets, spec.NumPredMasks)                                 // [M·B, Nt, D]
                : Losses.LayerAverageTargets(nn, blocks[^objective.TargetBlocks..], flatTargets, spec.NumPredMasks);
        }
        Value context, prediction;
        using (g.Scope(N.EncoderScope))
            context = VisionTransformer.Build(nn, images, enc, contextIndex);                           // [B, Nc, D]
        using (g.Scope(N.PredictorScope))
            prediction = VisionTransformerPredictor.Build(nn, context, contextIndex, flatTargets, enc, spec.Predictor, spec.NumPredMasks);
        var loss = Losses.SmoothL1(g, prediction, targets);
        if (objective.HasVcLoss)
            loss = g.Add(loss, VcLoss.Build(g, context, objective.VarianceWeight, objective.CovarianceWeight));

        var trainable = g.Parameters.Where(p => p.Trainable).Select(p => p.Value).ToList();
        var grads = Autodiff.Autodiff.Gradients(g, loss, trainable);
        g.Output(loss, N.Loss);
        g.Output(prediction, N.Prediction);
        g.Output(targets, N.TargetFeatures);
        foreach (var p in trainable) g.Output(grads[p], N.Grad(p.Name));
        return g;
    }
}
