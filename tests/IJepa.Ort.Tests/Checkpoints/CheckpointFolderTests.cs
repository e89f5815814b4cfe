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
}
