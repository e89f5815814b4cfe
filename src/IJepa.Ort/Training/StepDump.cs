// The loss and every gradient of one step as a safetensors file (`loss` F64 [1], `grad.<name>` F32), so the same
// step on two devices can be compared tensor by tensor (bench/gpu.sh, bench/compare-steps.py).
using IJepa.GraphBuilder.Recipes;
using IJepa.Ort.Checkpoints;
using IJepa.Ort.Runtime;

namespace IJepa.Ort.Training;

public static class StepDump
{
    public static void Write(string path, double loss, Manifest manifest, NativeBuffer<float> hostGradients)
    {
        var trainable = manifest.Parameters.Where(p => p.Trainable).ToList();
        var specs = new List<SafeTensorSpec> { new("loss", SafeTensorDType.F64, [1]) };
        specs.AddRange(trainable.Select(p => new SafeTensorSpec(ArtifactNames.Grad(p.Name), SafeTensorDType.F32, p.Shape)));
        AtomicFile.Write(path, stream =>
        {
            var writer = new SafeTensorsWriter(stream, specs);
            writer.Write([loss]);
            foreach (var p in trainable) writer.Write(hostGradients.Slice(p.Offset, p.Count));
            writer.Complete();
        });
    }
}
