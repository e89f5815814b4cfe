// `probe` end to end with every readout on a tiny budget: mean comes first, then each readout asked for; the attentive
// readout has no kNN figure. (No --baselines here: the scenes' 3,072-d flat pixels make the collapse monitor's
// eigendecomposition far too slow for a unit test.)
using IJepa.Ort.Config;
using IJepa.Ort.Evaluation;
using IJepa.Ort.Export;
using IJepa.Ort.Tests.Config;

namespace IJepa.Ort.Tests.Evaluation;

public class ProbeReadoutRunTests
{
    [Test]
    public void Run_GridAndAttentive_MeanFirstThenEachReadout()
    {
        string config = Presets.PathOf("scenes-vit-micro.yaml");
        var model = EncoderExport.RandomInit(ConfigLoader.Load(config), "scenes-vit-micro", 3);
        string path = Path.Combine(Path.GetTempPath(), $"ijepa-readouts-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, model.Bytes);
        try
        {
            var request = new ProbeRequest
            {
                Model = path, Config = config, Tasks = [ProbeTask.Count], TrainSize = 300, TestSize = 100, Threads = 1,
                Readouts = ProbeReadout.ParseList("grid:2,attentive"),
                Linear = new LinearProbeOptions { Epochs = 2, LearningRates = [1e-2], WeightDecays = [1e-4], Ridges = [1e-2] },
                Attentive = new AttentiveProbeOptions { Epochs = 2, LearningRates = [1e-2], WeightDecays = [1e-4] },
            };

            var report = Probe.Run(request, TextWriter.Null);

            var rows = report.Scores.Select(s => (s.Encoder, s.Readout, Probe.Name(s.Method))).ToList();
            const string e = Probe.Pretrained;
            Assert.That(rows, Is.EqualTo(new[] { (e, "mean", "linear"), (e, "mean", "knn"), (e, "grid:2", "linear"), (e, "grid:2", "knn"), (e, "attentive", "linear") }));
            Assert.That(report.Scores.Select(s => s.Top1), Has.All.InRange(0.0, 1.0));
            Assert.That(report.Features.Keys, Is.EquivalentTo(new[] { Probe.Pretrained }));
        }
        finally { File.Delete(path); }
    }
}
