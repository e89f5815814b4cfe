// Conveniences over a communicator: the root's turn first, agreement on a flag, rank 0's typed values and buffers.
using System.Runtime.InteropServices;
using IJepa.Ort.Runtime;

namespace IJepa.Ort.Distributed;

public static class Collectives
{
    public static bool IsRoot(this ICommunicator c) => c.Rank == 0;

    /// <summary>
    /// Runs <paramref name="action"/> on rank 0 first, then on the others: work that may create shared files (a data
    /// download, graphs built into the run folder) happens once, and the others find it done.
    /// </summary>
    public static T RootFirst<T>(this ICommunicator c, Func<T> action)
    {
        T result = default!;
        if (c.IsRoot()) result = action();
        c.Barrier();
        if (!c.IsRoot()) result = action();
        return result;
    }

    /// <summary>True on every rank when <paramref name="flag"/> is true on any.</summary>
    public static bool Any(this ICommunicator c, bool flag)
    {
        Span<double> value = [flag ? 1 : 0];
        c.SumInPlace(value);
        return value[0] > 0;
    }

    /// <summary>The mean of <paramref name="value"/> over the ranks.</summary>
    public static double Mean(this ICommunicator c, double value)
    {
        Span<double> sum = [value];
        c.SumInPlace(sum);
        return sum[0] / c.Size;
    }

    /// <summary>Rank 0's <paramref name="value"/> on every rank.</summary>
    public static T Broadcast<T>(this ICommunicator c, T value) where T : unmanaged
    {
        Span<T> one = [value];
        c.Broadcast(MemoryMarshal.AsBytes(one));
        return one[0];
    }

    /// <summary>Rank 0's contents of a host buffer on every rank (in slices: a span of bytes holds at most 2 GiB).</summary>
    public static void Broadcast(this ICommunicator c, NativeBuffer<float> buffer)
    {
        foreach (var (offset, count) in buffer.Slices(1 << 28)) c.Broadcast(MemoryMarshal.AsBytes(buffer.Slice(offset, count)));
    }

    /// <summary>Whether <paramref name="value"/> is the same on every rank.</summary>
    public static bool AllEqual(this ICommunicator c, ulong value) => !c.Any(c.Broadcast(value) != value);
}
