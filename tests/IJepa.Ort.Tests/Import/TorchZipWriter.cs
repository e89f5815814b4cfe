// Test support: writes checkpoints the way torch.save does (zip: <archive>/data.pkl in pickle protocol 2, <archive>/data/<key>
// raw little-endian storages, byteorder, version) from a small value tree — so import tests need no Python.
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;

namespace IJepa.Ort.Tests.Import;

/// <summary>A float32 tensor as torch pickles it: a view (offset, shape, stride) of a storage (shared when the same array is reused).</summary>
internal sealed record PickledTensor(float[] Storage, long Offset, long[] Shape, long[] Stride)
{
    public static PickledTensor Contiguous(float[] data, params long[] shape)
    {
        var stride = new long[shape.Length];
        long s = 1;
        for (int d = shape.Length - 1; d >= 0; d--) { stride[d] = s; s *= shape[d]; }
        return new PickledTensor(data, 0, shape, stride);
    }
}

/// <summary>collections.OrderedDict (a state dict), with torch's "_metadata" state when <see cref="WithMetadata"/>.</summary>
internal sealed record PickledOrderedDict(List<KeyValuePair<string, object?>> Items, bool WithMetadata = true);

/// <summary>A call of any global — what a malicious pickle would ask for.</summary>
internal sealed record PickledCall(string Module, string Name, params object?[] Args);

internal static class TorchZipWriter
{
    public static void Write(string path, object? root, string archive = "archive")
    {
        var storages = new List<float[]>();
        var pickle = new MemoryStream();
        var w = new BinaryWriter(pickle);
        var memo = new Dictionary<string, int>();
        w.Write((byte)0x80); w.Write((byte)2);                                            // PROTO 2
        Emit(w, root, storages, memo);
        w.Write((byte)'.');
        using var zip = new ZipArchive(File.Create(path), ZipArchiveMode.Create);
        Entry(zip, $"{archive}/data.pkl", pickle.ToArray());
        Entry(zip, $"{archive}/byteorder", Encoding.ASCII.GetBytes("little"));
        for (int i = 0; i < storages.Count; i++) Entry(zip, $"{archive}/data/{i}", MemoryMarshal.AsBytes(storages[i].AsSpan()).ToArray());
        Entry(zip, $"{archive}/version", Encoding.ASCII.GetBytes("3\n"));
    }

    private static void Entry(ZipArchive zip, string name, byte[] bytes)
    {
        using var s = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
        s.Write(bytes);
    }

    private static void Emit(BinaryWriter w, object? value, List<float[]> storages, Dictionary<string, int> memo)
    {
        switch (value)
        {
            case null: w.Write((byte)'N'); break;
            case bool b: w.Write((byte)(b ? 0x88 : 0x89)); break;
            case int i: Emit(w, (long)i, storages, memo); break;
            case long l when l is >= 0 and < 256: w.Write((byte)'K'); w.Write((byte)l); break;
            case long l when l is >= int.MinValue and <= int.MaxValue: w.Write((byte)'J'); w.Write((int)l); break;
            case long l: w.Write((byte)0x8a); w.Write((byte)8); w.Write(l); break;         // LONG1
            case double d:
                w.Write((byte)'G');
                var be = BitConverter.GetBytes(d);
                Array.Reverse(be);
                w.Write(be);
                break;
            case string s:
                var utf8 = Encoding.UTF8.GetBytes(s);
                w.Write((byte)'X'); w.Write(utf8.Length); w.Write(utf8);
                break;
            case object?[] tuple:
                w.Write((byte)'(');
                foreach (var item in tuple) Emit(w, item, storages, memo);
                w.Write((byte)'t');
                break;
            case List<object?> list:
                w.Write((byte)']');
                if (list.Count == 0) break;
                w.Write((byte)'(');
                foreach (var item in list) Emit(w, item, storages, memo);
                w.Write((byte)'e');
                break;
            case Dictionary<string, object?> dict:
                w.Write((byte)'}');
                Items(w, dict.ToList(), storages, memo);
                break;
            case PickledOrderedDict od:
                Global(w, "collections", "OrderedDict", memo);
                w.Write((byte)')'); w.Write((byte)'R');
                Items(w, od.Items, storages, memo);
                if (od.WithMetadata)
                    Emit(w, new Dictionary<string, object?> { ["_metadata"] = new PickledOrderedDict([new("", new Dictionary<string, object?> { ["version"] = 1L })], false) }, storages, memo);
                if (od.WithMetadata) w.Write((byte)'b');                                      // BUILD
                break;
            case PickledTensor t:
                Global(w, "torch._utils", "_rebuild_tensor_v2", memo);
                w.Write((byte)'(');
                int key = storages.IndexOf(t.Storage);
                if (key < 0) { storages.Add(t.Storage); key = storages.Count - 1; }
                w.Write((byte)'(');
                Emit(w, "storage", storages, memo);
                Global(w, "torch", "FloatStorage", memo);
                Emit(w, key.ToString(), storages, memo);
                Emit(w, "cpu", storages, memo);
                Emit(w, (long)t.Storage.Length, storages, memo);
                w.Write((byte)'t'); w.Write((byte)'Q');                                     // BINPERSID
                Emit(w, t.Offset, storages, memo);
                Emit(w, t.Shape.Cast<object?>().ToArray(), storages, memo);
                Emit(w, t.Stride.Cast<object?>().ToArray(), storages, memo);
                Emit(w, false, storages, memo);
                Emit(w, new PickledOrderedDict([], false), storages, memo);
                w.Write((byte)'t'); w.Write((byte)'R');
                break;
            case PickledCall call:
                Global(w, call.Module, call.Name, memo);
                Emit(w, call.Args, storages, memo);
                w.Write((byte)'R');
                break;
            default: throw new ArgumentException($"cannot pickle {value.GetType().Name}");
        }
    }

    private static void Items(BinaryWriter w, List<KeyValuePair<string, object?>> items, List<float[]> storages, Dictionary<string, int> memo)
    {
        if (items.Count == 0) return;
        w.Write((byte)'(');
        foreach (var (k, v) in items) { Emit(w, k, storages, memo); Emit(w, v, storages, memo); }
        w.Write((byte)'u');
    }

    /// <summary>GLOBAL the first time (memoised with BINPUT), BINGET after, as pickle does.</summary>
    private static void Global(BinaryWriter w, string module, string name, Dictionary<string, int> memo)
    {
        if (memo.TryGetValue(module + "." + name, out int slot) && slot < 256) { w.Write((byte)'h'); w.Write((byte)slot); return; }
        w.Write((byte)'c'); w.Write(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));
        slot = memo.Count;
        memo[module + "." + name] = slot;
        w.Write((byte)'q'); w.Write((byte)slot);
    }
}
