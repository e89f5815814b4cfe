// A fresh folder per test for the files the checkpoint tests write, removed afterwards.
namespace IJepa.Ort.Tests.Checkpoints;

public abstract class TempFolderTest
{
    protected string Folder { get; private set; } = "";

    [SetUp]
    public void CreateFolder()
    {
        Folder = Path.Combine(Path.GetTempPath(), "ijepa-ckpt-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(Folder, recursive: true);

    protected string File(string name) => Path.Combine(Folder, name);
}
