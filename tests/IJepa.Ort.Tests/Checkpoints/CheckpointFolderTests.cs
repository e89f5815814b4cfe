// The run folder's checkpoints/: latest and numbered files, and which one a resume picks.
using IJepa.Ort.Checkpoints;
using IJepa.Ort.Errors;

namespace IJepa.Ort.Tests.Checkpoints;

public class CheckpointFolderTests : TempFolderTest
{
    static CheckpointMeta MetaAt(int epoch) => new() { Step = epoch * 10L, Epoch = epoch };
    static NamedTensor[] Tensors(float value) => [new("encoder.norm.weight", [2], new[] { value, value })];

    [Test]
    public void SaveLatest_Twice_LatestHoldsSecond()
    {
        CheckpointFolder.SaveLatest(Folder, MetaAt(1), Tensors(1));
        string path = CheckpointFolder.SaveLatest(Folder, MetaAt(2), Tensors(2));

        Assert.That(path, Is.EqualTo(Path.Combine(Folder, "checkpoints", "latest.safetensors")));
        using var reader = Checkpoint.Open(path);
        Assert.That(reader.Meta.Epoch, Is.EqualTo(2));
        Assert.That(reader.Read("encoder.norm.weight"), Is.EqualTo(new[] { 2f, 2f }));
    }

    [Test]
    public void FindLatest_LatestPresent_ReturnsLatest()
    {
        CheckpointFolder.SaveNumbered(Folder, 5, MetaAt(5), Tensors(5));
        CheckpointFolder.SaveLatest(Folder, MetaAt(6), Tensors(6));

        Assert.That(CheckpointFolder.FindLatest(Folder), Is.EqualTo(Path.Combine(Folder, "checkpoints", "latest.safetensors")));
    }

    [Test]
    public void FindLatest_OnlyNumbered_ReturnsHighestEpochNumerically()
    {
        CheckpointFolder.SaveNumbered(Folder, 9, MetaAt(9), Tensors(9));
        CheckpointFolder.SaveNumbered(Folder, 10, MetaAt(10), Tensors(10));
        CheckpointFolder.SaveNumbered(Folder, 2, MetaAt(2), Tensors(2));
        System.IO.File.WriteAllText(Path.Combine(Folder, "checkpoints", "ep11.safetensors.tmp"), "interrupted");
        System.IO.File.WriteAllText(Path.Combine(Folder, "checkpoints", "epx.safetensors"), "not ours");

        Assert.That(CheckpointFolder.ListNumbered(Folder).Select(e => e.Epoch), Is.EqualTo(new[] { 2, 9, 10 }));
        Assert.That(CheckpointFolder.FindLatest(Folder), Is.EqualTo(Path.Combine(Folder, "checkpoints", "ep10.safetensors")));
    }

    [Test]
    public void FindLatest_NoCheckpoints_Null()
    {
        Assert.That(CheckpointFolder.FindLatest(Folder), Is.Null);
        Assert.That(CheckpointFolder.FindLatest(Path.Combine(Folder, "absent")), Is.Null);
    }

    [Test]
    public void CopyLatestToNumbered_SameBytes()
    {
        string latest = CheckpointFolder.SaveLatest(Folder, MetaAt(3), Tensors(3));

        string numbered = CheckpointFolder.CopyLatestToNumbered(Folder, 3);

        Assert.That(Path.GetFileName(numbered), Is.EqualTo("ep3.safetensors"));
        Assert.That(System.IO.File.ReadAllBytes(numbered), Is.EqualTo(System.IO.File.ReadAllBytes(latest)));
        Assert.That(System.IO.File.Exists(numbered + ".tmp"), Is.False);
    }

    [Test]
    public void Resolve_RunFolderOrFile_ReturnsCheckpointFile()
    {
        string latest = CheckpointFolder.SaveLatest(Folder, MetaAt(1), Tensors(1));

        Assert.That(CheckpointFolder.Resolve(Folder), Is.EqualTo(latest));
        Assert.That(CheckpointFolder.Resolve(latest), Is.EqualTo(latest));
    }

    [Test]
    public void Resolve_EmptyRunFolder_DataExceptionNamingIt()
    {
        var e = Assert.Throws<DataException>(() => CheckpointFolder.Resolve(Folder))!;

        Assert.That(e.Message, Does.StartWith($"{Folder}: no checkpoint in checkpoints/"));
    }

    [Test]
    public void RestoreNumbered_LostToAKillDuringTheCopy_IsCopiedFromLatest()
    {
        string latest = CheckpointFolder.SaveLatest(Folder, MetaAt(4), Tensors(4));
        string tmp = Path.Combine(Folder, "checkpoints", "ep4.safetensors.tmp");
        System.IO.File.WriteAllBytes(tmp, System.IO.File.ReadAllBytes(latest)[..100]);   // the copy, cut short

        string? restored = CheckpointFolder.RestoreNumbered(Folder, 4);

        Assert.That(restored, Is.EqualTo(Path.Combine(Folder, "checkpoints", "ep4.safetensors")));
        Assert.That(System.IO.File.ReadAllBytes(restored!), Is.EqualTo(System.IO.File.ReadAllBytes(latest)));
        Assert.That(System.IO.File.Exists(tmp), Is.False);
    }

    [Test]
    public void RestoreNumbered_Present_LeavesItAlone()
    {
        string numbered = CheckpointFolder.SaveNumbered(Folder, 4, MetaAt(4), Tensors(4));
        CheckpointFolder.SaveLatest(Folder, MetaAt(5), Tensors(5));

        Assert.That(CheckpointFolder.RestoreNumbered(Folder, 4), Is.Null);
        using var reader = Checkpoint.Open(numbered);
        Assert.That(reader.Meta.Epoch, Is.EqualTo(4));
    }

    [Test]
    public void RemoveLeftovers_StaleTmpFiles_AreDeletedAndCheckpointsKept()
    {
        CheckpointFolder.SaveLatest(Folder, MetaAt(1), Tensors(1));
        System.IO.File.WriteAllText(Path.Combine(Folder, "checkpoints", "latest.safetensors.tmp"), "torn");
        System.IO.File.WriteAllText(Path.Combine(Folder, "checkpoints", "ep2.safetensors.tmp"), "torn");

        var removed = CheckpointFolder.RemoveLeftovers(Folder);

        Assert.That(removed, Is.EquivalentTo(new[] { "latest.safetensors.tmp", "ep2.safetensors.tmp" }));
        Assert.That(Directory.GetFiles(Path.Combine(Folder, "checkpoints")).Select(Path.GetFileName), Is.EqualTo(new[] { "latest.safetensors" }));
    }
}
