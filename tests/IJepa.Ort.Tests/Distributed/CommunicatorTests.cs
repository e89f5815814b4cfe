// Choosing the communicator: a world of one outside mpirun (libmpi never loaded), NCCL only for CUDA, and a missing
// libnccl.so.2 named in one line.
using IJepa.Ort.Distributed;
using IJepa.Ort.Errors;
using IJepa.Ort.Runtime;

namespace IJepa.Ort.Tests.Distributed;

[NonParallelizable]
public class CommunicatorTests
{
    [Test]
    public void Create_OutsideMpirun_IsAWorldOfOne()
    {
        Assume.That(MpiEnvironment.WorldSize, Is.Null, "the tests themselves do not run under mpirun");
        using var comm = Communicator.Create(ExecutionDevice.Cpu, Communicator.Auto, TextWriter.Null);
        Assert.That((comm.Kind, comm.Rank, comm.Size), Is.EqualTo(("single", 0, 1)));
        Assert.That(comm.Mean(3.5), Is.EqualTo(3.5));
        Assert.That(comm.AllEqual(42), Is.True);
    }

    [TestCase("nccl", "cpu", "needs a CUDA device")]
    [TestCase("gloo", "cpu", "'gloo' is not auto, mpi or nccl")]
    public void Create_BadBackend_ConfigErrorNamingComm(string backend, string device, string message)
    {
        var ex = Assert.Throws<ConfigException>(() => Communicator.Create(ExecutionDevice.Parse(device), backend, TextWriter.Null));
        Assert.That(ex!.Message, Does.StartWith("--comm").And.Contain(message));
    }

    [Test]
    public void TryCreateNccl_LibraryMissing_ReturnsNullWithTheReason()
    {
        const string missing = "/nonexistent/libnccl.so.2";
        Environment.SetEnvironmentVariable(NcclLibrary.PathVariable, missing);
        try
        {
            Assert.That(NcclCommunicator.TryCreate(new SingleProcess(), 0, out string why), Is.Null);
            Assert.That(why, Does.Contain(missing).And.Contain(NcclLibrary.PathVariable));
        }
        finally { Environment.SetEnvironmentVariable(NcclLibrary.PathVariable, null); }
    }

    [Test]
    public void ForLocalRank_Cuda_OneDevicePerRank() =>
        Assert.That((ExecutionDevice.Parse("cuda:1").ForLocalRank(2).ToString(), ExecutionDevice.Cpu.ForLocalRank(2).ToString()), Is.EqualTo(("cuda:3", "cpu")));
}
