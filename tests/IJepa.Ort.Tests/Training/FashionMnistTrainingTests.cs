// The default preset on real data: the I-JEPA loss falls over the first 100 steps on Fashion-MNIST.
using IJepa.Ort.Tests.Support;
using IJepa.Ort.Training;

namespace IJepa.Ort.Tests.Training;

public class FashionMnistTrainingTests
{
    [Test]
    public void Train_MicroPreset100Steps_LossFalls()
    {
        var runDir = Directory.CreateTempSubdirectory("ijepa-fmnist-").FullName;
        try
        {
            // The preset as shipped (data fetched by .ci/run or on first use), at batch 16 to keep the test short.
            var options = new TrainOptions
            {
                ConfigPath = Path.Combine(RepoPaths.Models, "fmnist-vit-micro.yaml"), RunDir = runDir, MaxSteps = 100,
                GraphsRoot = Path.Combine(runDir, "none"),
                Overrides = [new("data.batch_size", "16"), new("data.root_path", Path.Combine(RepoPaths.Root, "data", "fashion-mnist"))],
            };
            using (var trainer = new Trainer(options, TestContext.Progress)) trainer.Run();
            var losses = TrainLog.ReadLosses(runDir, 100).Select(l => l.Loss).ToList();
            Assert.That(losses, Has.Count.EqualTo(100));
            double first = losses.Take(10).Average(), last = losses.TakeLast(10).Average();
            TestContext.Out.WriteLine($"mean loss, steps 1-10: {first:F4}; steps 91-100: {last:F4}");
            Assert.That(last, Is.LessThan(0.75 * first));
        }
        finally { Directory.Delete(runDir, recursive: true); }
    }
}
