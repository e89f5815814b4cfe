// The generated scenes: deterministic from the seed, labels that match the layout, classes roughly balanced.
using IJepa.Ort.Data;
using IJepa.Ort.Config;
using IJepa.Ort.Evaluation;
using IJepa.Ort.Tests.Config;
using IJepa.Ort.Training;

namespace IJepa.Ort.Tests.Evaluation;

public class ScenesTests
{
    private static readonly ScenesOptions Options = new() { TrainCount = 400, TestCount = 100 };

    [Test]
    public void TryLoad_SameIndexTwice_IdenticalPixels()
    {
        var a = new ScenesDataset(Options, DataSplit.Train);
        var b = new ScenesDataset(Options, DataSplit.Train);
        var (x, y) = (new ImageBuffer(), new ImageBuffer());

        Assert.That(a.TryLoad(17, x) && b.TryLoad(17, y), Is.True);

        Assert.That((x.Height, x.Width, x.Channels), Is.EqualTo((32, 32, 3)));
        Assert.That(x.Pixels.ToArray(), Is.EqualTo(y.Pixels.ToArray()));
    }

    [Test]
    public void Layout_OtherSeedOrSplit_OtherScene()
    {
        var scene = SceneGenerator.Layout(Options, DataSplit.Train, 5);

        Assert.That(SceneGenerator.Layout(Options with { Seed = 1 }, DataSplit.Train, 5).Objects, Is.Not.EqualTo(scene.Objects));
        Assert.That(SceneGenerator.Layout(Options, DataSplit.Test, 5).Objects, Is.Not.EqualTo(scene.Objects));
    }

    [Test]
    public void Layout_EveryScene_CountInRangeLargestInItsBinOthersSmallerAndInside()
    {
        for (int i = 0; i < Options.TrainCount; i++)
        {
            var scene = SceneGenerator.Layout(Options, DataSplit.Train, i);
            Assert.That(scene.Count, Is.InRange(Options.MinObjects, Options.MaxObjects));
            double largest = scene.Objects.Max(o => o.Size);
            Assert.That(largest, Is.InRange(Options.Bin(scene.SizeClass), Options.Bin(scene.SizeClass + 1)), $"scene {i}");
            Assert.That(scene.Objects.Count(o => o.Size == largest), Is.EqualTo(1), $"scene {i}: one largest object");
            foreach (var o in scene.Objects)
                Assert.That(o.X - o.Size >= 0 && o.Y - o.Size >= 0 && o.X + o.Size <= Options.ImageSize && o.Y + o.Size <= Options.ImageSize, $"scene {i}");
        }
    }

    [Test]
    public void Layout_MostScenes_ObjectsDoNotOverlap()
    {
        int overlapping = 0;
        for (int i = 0; i < Options.TrainCount; i++)
        {
            var objects = SceneGenerator.Layout(Options, DataSplit.Train, i).Objects;
            bool any = false;
            for (int a = 0; a < objects.Count; a++)
                for (int b = a + 1; b < objects.Count; b++)
                    any |= double.Hypot(objects[a].X - objects[b].X, objects[a].Y - objects[b].Y) < objects[a].Size + objects[b].Size;
            if (any) overlapping++;
        }
        Assert.That(overlapping, Is.LessThan(Options.TrainCount / 50));
    }

    [Test]
    public void Label_BothTasks_MatchLayoutAndAreRoughlyBalanced()
    {
        var count = new ScenesDataset(Options, DataSplit.Train, SceneTask.Count);
        var size = count.WithTask(SceneTask.Size);
        var countHistogram = new int[count.NumClasses];
        var sizeHistogram = new int[size.NumClasses];
        for (int i = 0; i < count.Count; i++)
        {
            var scene = count.Scene(i);
            Assert.That(count.Label(i), Is.EqualTo(scene.Count - Options.MinObjects));
            Assert.That(size.Label(i), Is.EqualTo(scene.SizeClass));
            countHistogram[count.Label(i)]++;
            sizeHistogram[size.Label(i)]++;
        }
        Assert.That(count.NumClasses, Is.EqualTo(8));
        Assert.That(size.NumClasses, Is.EqualTo(4));
        Assert.That(countHistogram, Has.All.InRange(25, 75));            // 400 / 8 = 50 expected
        Assert.That(sizeHistogram, Has.All.InRange(70, 130));            // 400 / 4 = 100 expected
    }

    [Test]
    public void DatasetFactory_ScenesKind_OpensGeneratedSplits()
    {
        var train = DatasetFactory.Open("scenes", null, null, DataSplit.Train);
        var test = DatasetFactory.Open("scenes", null, null, DataSplit.Test);

        Assert.That((train.Count, test.Count, train.Channels), Is.EqualTo((50_000, 10_000, 3)));
    }

    [Test]
    public void Trainer_ScenesPreset_OpensTheGeneratedScenes()
    {
        var config = ConfigLoader.Load(Presets.PathOf("scenes-vit-micro.yaml"));

        Assert.That(TrainingData.Open(config, TextWriter.Null), Is.InstanceOf<ScenesDataset>());
    }

    [Test]
    public void Take_SameSeed_SameSortedDistinctIndices()
    {
        var data = new ScenesDataset(Options, DataSplit.Train);

        var a = (DatasetSubset)DatasetSubset.Take(data, 50, seed: 3);
        var b = (DatasetSubset)DatasetSubset.Take(data, 50, seed: 3);

        Assert.That(a.Indices, Is.EqualTo(b.Indices));
        Assert.That(a.Indices, Is.Ordered.And.Unique);
        Assert.That(a.Label(7), Is.EqualTo(data.Label(a.Indices[7])));
        Assert.That(DatasetSubset.Take(data, 0, seed: 3), Is.SameAs(data));
    }

    [Test]
    public void A_carved_validation_split_is_disjoint_from_the_training_subset_and_seeded()
    {
        var data = new ScenesDataset(Options, DataSplit.Train);

        var (train, heldOut) = DatasetSubset.Carve(data, 300, 100, seed: 5);
        var (again, _) = DatasetSubset.Carve(data, 300, 100, seed: 5);
        var (_, rest) = DatasetSubset.Carve(data, 0, 100, seed: 5);

        var (t, h) = ((DatasetSubset)train, (DatasetSubset)heldOut);
        Assert.That(t.Count, Is.EqualTo(300));
        Assert.That(h.Count, Is.EqualTo(100));
        Assert.That(t.Indices.Intersect(h.Indices), Is.Empty);
        Assert.That(t.Indices, Is.Ordered.And.Unique);
        Assert.That(((DatasetSubset)again).Indices, Is.EqualTo(t.Indices));
        Assert.That(((DatasetSubset)rest).Indices, Is.EqualTo(h.Indices), "the held-out images do not depend on the training count");
        Assert.That(((DatasetSubset)DatasetSubset.Carve(data, 0, 100, seed: 5).Train).Count, Is.EqualTo(data.Count - 100));
    }
}
