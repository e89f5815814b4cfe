// The only values the restricted unpickler builds: plain Python values (None, bool, int, float, str, bytes, tuple, list,
// dict) plus the three torch objects a checkpoint needs — a storage reference, a tensor view of it, and the class
// names allowed to appear (storage types, OrderedDict, the tensor rebuild function). Nothing here can run code.
namespace IJepa.Ort.Import;

/// <summary>A class or function named by a pickle's GLOBAL opcode, after the allow-list check.</summary>
public sealed record PickleGlobal(string Module, string Name)
{
    public string FullName => Module + "." + Name;
}

/// <summary>A dict (plain or OrderedDict), keys in insertion order.</summary>
public sealed class PickleDict
{
    public List<KeyValuePair<object?, object?>> Items { get; } = [];

    public object? this[string key] => Items.FirstOrDefault(kv => key.Equals(kv.Key)).Value;

    public bool ContainsKey(string key) => Items.Any(kv => key.Equals(kv.Key));
}

/// <summary>The persistent id ('storage', type, key, location, numel): raw data in the archive's data/&lt;key&gt;.</summary>
public sealed record TorchStorage(string Key, TorchDType DType, long Numel);

/// <summary>torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...): a strided view of a storage.</summary>
public sealed record TorchTensor(TorchStorage Storage, long Offset, long[] Shape, long[] Stride)
{
    public long Count => Shape.Aggregate(1L, (a, b) => a * b);

    public bool IsContiguous
    {
        get
        {
            long expected = 1;
            for (int d = Shape.Length - 1; d >= 0; d--)
            {
                if (Shape[d] != 1 && Stride[d] != expected) return false;
                expected *= Shape[d];
            }
            return true;
        }
    }
}

/// <summary>Element types of torch storages we convert to float32.</summary>
public enum TorchDType { Float32, Float16, BFloat16, Float64, Int64, Int32, UInt8, Int8, Int16, Bool }

public static class TorchDTypes
{
    /// <summary>torch.&lt;X&gt;Storage class names (the legacy typed storages torch.save writes) to element types.</summary>
    public static readonly IReadOnlyDictionary<string, TorchDType> StorageClasses = new Dictionary<string, TorchDType>
    {
        ["FloatStorage"] = TorchDType.Float32, ["HalfStorage"] = TorchDType.Float16, ["BFloat16Storage"] = TorchDType.BFloat16,
        ["DoubleStorage"] = TorchDType.Float64, ["LongStorage"] = TorchDType.Int64, ["IntStorage"] = TorchDType.Int32,
        ["ByteStorage"] = TorchDType.UInt8, ["CharStorage"] = TorchDType.Int8, ["ShortStorage"] = TorchDType.Int16,
        ["BoolStorage"] = TorchDType.Bool,
    };

    public static int Size(this TorchDType t) => t switch
    {
        TorchDType.Float64 or TorchDType.Int64 => 8,
        TorchDType.Float32 or TorchDType.Int32 => 4,
        TorchDType.Float16 or TorchDType.BFloat16 or TorchDType.Int16 => 2,
        _ => 1,
    };
}
