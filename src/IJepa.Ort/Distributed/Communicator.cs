// Picks this process's communicator: a world of one outside mpirun, Open MPI under it, NCCL for CUDA device buffers.
using IJepa.Ort.Errors;
using IJepa.Ort.Runtime;

namespace IJepa.Ort.Distributed;

public static class Communicator
{
    public const string Auto = "auto", Mpi = "mpi", Nccl = "nccl";

    /// <summary>
    /// <paramref name="backend"/> <c>auto</c>: NCCL when the device is CUDA, the job has several ranks and libnccl.so.2 loads
    /// (else host-staged MPI, with a warning); <c>mpi</c>: MPI always; <c>nccl</c>: NCCL or a one-line error. Outside
    /// mpirun the host side is a <see cref="SingleProcess"/> (libmpi is never loaded); NCCL then runs with one rank.
    /// </summary>
    public static ICommunicator Create(ExecutionDevice device, string backend, TextWriter log)
    {
        if (backend is not (Auto or Mpi or Nccl)) throw new ConfigException($"--comm: '{backend}' is not auto, mpi or nccl");
        if (backend == Nccl && !device.IsCuda) throw new ConfigException($"--comm nccl: needs a CUDA device, not --device {device}");
        ICommunicator host = MpiEnvironment.WorldSize is not null ? MpiCommunicator.Start() : new SingleProcess();
        bool nccl = backend == Nccl || (backend == Auto && device.IsCuda && host.Size > 1);
        if (!nccl) return host;
        try
        {
            var created = NcclCommunicator.TryCreate(host, device.ForLocalRank(host.LocalRank).Index, out string why);
            if (created is not null) return created;
            if (backend == Nccl) throw new IJepaException($"--comm nccl: {why}", 1);
            if (host.Rank == 0) log.WriteLine($"warning: NCCL unavailable: {why}; averaging gradients over MPI through host memory");
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }
}
