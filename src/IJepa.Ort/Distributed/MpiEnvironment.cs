// Whether this process was started by Open MPI's mpirun (its OMPI_COMM_WORLD_* variables), and the transport defaults
// that keep MPI out of .NET's way. Without these variables the trainer is a world of one and never loads libmpi.
using System.Runtime.InteropServices;

namespace IJepa.Ort.Distributed;

public static partial class MpiEnvironment
{
    /// <summary>The job's size as mpirun announced it, or null outside mpirun.</summary>
    public static int? WorldSize => Read("OMPI_COMM_WORLD_SIZE");

    /// <summary>This process's rank on its machine, or null outside mpirun.</summary>
    public static int? LocalRank => Read("OMPI_COMM_WORLD_LOCAL_RANK");

    /// <summary>
    /// Defaults for MCA settings the user did not set: the ob1/TCP+shared-memory transports (UCX installs signal handlers
    /// that fight .NET's), and no single-copy shared memory (needs ptrace rights that containers often lack). Set in the
    /// native environment, where MPI_Init reads them (.NET's Environment.SetEnvironmentVariable does not reach it).
    /// </summary>
    internal static void SetTransportDefaults()
    {
        SetDefault("OMPI_MCA_pml", "ob1");
        SetDefault("OMPI_MCA_btl", "self,vader,tcp");
        SetDefault("OMPI_MCA_btl_vader_single_copy_mechanism", "none");
    }

    private static void SetDefault(string name, string value)
    {
        if (Environment.GetEnvironmentVariable(name) is null) setenv(name, value, 0);
    }

    private static int? Read(string name) => int.TryParse(Environment.GetEnvironmentVariable(name), out int v) ? v : null;

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int setenv(string name, string value, int overwrite);
}
