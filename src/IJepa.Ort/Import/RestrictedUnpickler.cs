// A pickle reader that builds data and never runs code: the opcodes of protocols 2-5 that hold plain values, plus the
// three callables a torch checkpoint needs (see Allowed). Any other GLOBAL, any object-creating opcode (NEWOBJ, INST,
// OBJ, EXT*) and any REDUCE on something else stops the read with an error naming it — the check happens when the name
// is read, before anything could be called; and nothing ever is called: "calls" only build PickleValues records.
using System.Buffers.Binary;
using System.Text;
using IJepa.Ort.Errors;

namespace IJepa.Ort.Import;

public sealed class RestrictedUnpickler
{
    public const string OrderedDict = "collections.OrderedDict";
    public const string RebuildTensor = "torch._utils._rebuild_tensor_v2";

    /// <summary>Names a GLOBAL may ask for: OrderedDict, the tensor rebuild function, torch's typed storage classes.</summary>
    public static bool Allowed(string module, string name) =>
        (module + "." + name) is OrderedDict or RebuildTensor || (module == "torch" && TorchDTypes.StorageClasses.ContainsKey(name));

    private readonly byte[] _data;
    private readonly string _source;
    private int _pos;
    private readonly List<object?> _stack = [];
    private readonly Stack<int> _marks = new();
    private readonly Dictionary<long, object?> _memo = [];

    private RestrictedUnpickler(byte[] data, string source) => (_data, _source) = (data, source);

    /// <summary>The object the pickle in <paramref name="data"/> describes; <paramref name="source"/> names it in errors.</summary>
    public static object? Load(byte[] data, string source)
    {
        var unpickler = new RestrictedUnpickler(data, source);
        try { return unpickler.Run(); }
        catch (OverflowException) { throw unpickler.Fail("holds a number or length out of range"); }
    }

    private object? Run()
    {
        while (true)
        {
            if (_pos >= _data.Length) throw Fail("ends before its STOP opcode");
            byte op = _data[_pos++];
            switch (op)
            {
                case 0x80: _pos++; break;                                                     // PROTO n
                case 0x95: Take(8); break;                                                    // FRAME length
                case (byte)'.': return Pop();                                                 // STOP
                case (byte)'N': Push(null); break;
                case 0x88: Push(true); break;                                                 // NEWTRUE
                case 0x89: Push(false); break;                                                // NEWFALSE
                case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(Take(4))); break;   // BININT
                case (byte)'K': Push((long)Take(1)[0]); break;                                // BININT1
                case (byte)'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2))); break;  // BININT2
                case 0x8a: Push(Long(Take(Take(1)[0]))); break;                               // LONG1
                case 0x8b: Push(Long(Take(BinaryPrimitives.ReadUInt32LittleEndian(Take(4))))); break; // LONG4
                case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(Take(8))); break;  // BINFLOAT
                case (byte)'X': Push(Utf8(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)))); break; // BINUNICODE
                case 0x8c: Push(Utf8(Take(1)[0])); break;                                     // SHORT_BINUNICODE
                case 0x8d: Push(Utf8((long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(Take(8)), long.MaxValue))); break; // BINUNICODE8
                case (byte)'T': Push(Latin1(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)))); break; // BINSTRING
                case (byte)'U': Push(Latin1(Take(1)[0])); break;                              // SHORT_BINSTRING
                case (byte)'B': Push(Take(BinaryPrimitives.ReadUInt32LittleEndian(Take(4))).ToArray()); break; // BINBYTES
                case (byte)'C': Push(Take(Take(1)[0]).ToArray()); break;                      // SHORT_BINBYTES
                case (byte)'}': Push(new PickleDict()); break;                                // EMPTY_DICT
                case (byte)']': Push(new List<object?>()); break;                             // EMPTY_LIST
                case (byte)')': Push(Array.Empty<object?>()); break;                          // EMPTY_TUPLE
                case (byte)'(': _marks.Push(_stack.Count); break;                             // MARK
                case (byte)'t': Push(PopToMark().ToArray()); break;                           // TUPLE
                case 0x85: Push(new[] { Pop() }); break;                                      // TUPLE1
                case 0x86: { var b = Pop(); var a = Pop(); Push(new[] { a, b }); break; }     // TUPLE2
                case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); Push(new[] { a, b, c }); break; } // TUPLE3
                case (byte)'l': Push(PopToMark()); break;                                     // LIST
                case (byte)'d': { var d = new PickleDict(); AddPairs(d, PopToMark()); Push(d); break; } // DICT
                case (byte)'a': { var v = Pop(); As<List<object?>>(Peek(), "APPEND").Add(v); break; }
                case (byte)'e': { var items = PopToMark(); As<List<object?>>(Peek(), "APPENDS").AddRange(items); break; }
                case (byte)'s': { var v = Pop(); var k = Pop(); As<PickleDict>(Peek(), "SETITEM").Items.Add(new(k, v)); break; }
                case (byte)'u': { var items = PopToMark(); AddPairs(As<PickleDict>(Peek(), "SETITEMS"), items); break; }
                case (byte)'q': _memo[Take(1)[0]] = Peek(); break;                            // BINPUT
                case (byte)'r': _memo[BinaryPrimitives.ReadUInt32LittleEndian(Take(4))] = Peek(); break; // LONG_BINPUT
                case 0x94: _memo[_memo.Count] = Peek(); break;                                // MEMOIZE
                case (byte)'h': Push(Memo(Take(1)[0])); break;                                // BINGET
                case (byte)'j': Push(Memo(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)))); break; // LONG_BINGET
                case (byte)'0': Pop(); break;                                                 // POP
                case (byte)'1': PopToMark(); break;                                           // POP_MARK
                case (byte)'2': Push(Peek()); break;                                          // DUP
                case (byte)'c': Push(Global(Line(), Line())); break;                          // GLOBAL module\nname\n
                case 0x93: { var name = Pop(); var module = Pop(); Push(Global(Text(module), Text(name))); break; } // STACK_GLOBAL
                case (byte)'Q': Push(Storage(Pop())); break;                                  // BINPERSID
                case (byte)'R': { var args = Pop(); var f = Pop(); Push(Reduce(f, args)); break; } // REDUCE
                case (byte)'b': { var state = Pop(); Build(Peek(), state); break; }           // BUILD
                default: throw Fail($"opcode 0x{op:x2} at byte {_pos - 1} is not allowed (only plain values, OrderedDict and torch tensors are read)");
            }
        }
    }

    private PickleGlobal Global(string module, string name) => Allowed(module, name)
        ? new PickleGlobal(module, name)
        : throw Fail($"refused: the pickle asks for {module}.{name}; only {RebuildTensor}, torch.*Storage and {OrderedDict} are allowed (nothing was executed)");

    /// <summary>The two calls a checkpoint makes, as data: OrderedDict() and _rebuild_tensor_v2(storage, offset, size, stride, ...).</summary>
    private object Reduce(object? callable, object? args)
    {
        var a = As<object?[]>(args, "REDUCE arguments");
        switch ((callable as PickleGlobal)?.FullName)
        {
            case OrderedDict when a.Length == 0:
                return new PickleDict();
            case RebuildTensor when a.Length >= 4:
                var shape = As<object?[]>(a[2], "tensor size").Select(v => As<long>(v, "tensor size")).ToArray();
                var stride = As<object?[]>(a[3], "tensor stride").Select(v => As<long>(v, "tensor stride")).ToArray();
                if (shape.Length != stride.Length) throw Fail("tensor size and stride differ in rank");
                long offset = As<long>(a[1], "tensor offset");
                if (offset < 0 || shape.Any(d => d < 0) || stride.Any(d => d < 0)) throw Fail("tensor offset, size or stride is negative");
                try { _ = checked(shape.Aggregate(1L, (p, d) => p * d) + offset + shape.Select((d, i) => d * stride[i]).Sum()); }
                catch (OverflowException) { throw Fail("tensor size or stride out of range"); }
                return new TorchTensor(As<TorchStorage>(a[0], "tensor storage"), offset, shape, stride);
            default:
                throw Fail($"refused: REDUCE of {(callable as PickleGlobal)?.FullName ?? callable?.GetType().Name ?? "None"} with {a.Length} arguments (nothing was executed)");
        }
    }

    /// <summary>BUILD sets an object's state: only an OrderedDict's (torch's state_dict carries "_metadata"), which we drop.</summary>
    private void Build(object? target, object? state)
    {
        if (target is PickleDict && state is null or PickleDict) return;
        throw Fail($"refused: BUILD on {target?.GetType().Name ?? "None"} (only an OrderedDict's state is accepted)");
    }

    private TorchStorage Storage(object? pid)
    {
        var t = As<object?[]>(pid, "persistent id");
        if (t.Length != 5 || t[0] as string != "storage" || t[1] is not PickleGlobal { Module: "torch" } type
            || !TorchDTypes.StorageClasses.TryGetValue(type.Name, out var dtype))
            throw Fail("refused: a persistent id that is not ('storage', torch.<Type>Storage, key, location, numel)");
        long numel = As<long>(t[4], "storage size");
        if (numel < 0 || numel > long.MaxValue / 8) throw Fail($"storage size {numel} out of range");
        return new TorchStorage(As<string>(t[2], "storage key"), dtype, numel);
    }

    private void AddPairs(PickleDict dict, List<object?> items)
    {
        if (items.Count % 2 != 0) throw Fail("odd number of items for a dict");
        for (int i = 0; i < items.Count; i += 2) dict.Items.Add(new(items[i], items[i + 1]));
    }

    private void Push(object? value) => _stack.Add(value);

    private object? Peek() => _stack.Count > 0 ? _stack[^1] : throw Fail("stack underflow");

    private object? Pop()
    {
        var value = Peek();
        _stack.RemoveAt(_stack.Count - 1);
        return value;
    }

    private List<object?> PopToMark()
    {
        if (_marks.Count == 0) throw Fail("no MARK on the stack");
        int mark = _marks.Pop();
        if (mark > _stack.Count) throw Fail("MARK lies below the stack's top (items popped past it)");
        var items = _stack.GetRange(mark, _stack.Count - mark);
        _stack.RemoveRange(mark, _stack.Count - mark);
        return items;
    }

    private object? Memo(long key) => _memo.TryGetValue(key, out var v) ? v : throw Fail($"memo {key} is not set");

    private ReadOnlySpan<byte> Take(long count)
    {
        if (count < 0 || count > _data.Length - _pos) throw Fail("is truncated");   // lengths are checked before any allocation
        var span = _data.AsSpan(_pos, (int)count);
        _pos += (int)count;
        return span;
    }

    private string Utf8(long length) => Encoding.UTF8.GetString(Take(length));
    private string Latin1(long length) => Encoding.Latin1.GetString(Take(length));

    private string Line()
    {
        int end = Array.IndexOf(_data, (byte)'\n', _pos);
        if (end < 0) throw Fail("is truncated (GLOBAL without a newline)");
        var text = Encoding.ASCII.GetString(_data, _pos, end - _pos);
        _pos = end + 1;
        return text;
    }

    private long Long(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > 8) throw Fail($"an integer of {bytes.Length} bytes is too large");
        long value = 0;
        for (int i = bytes.Length - 1; i >= 0; i--) value = (value << 8) | bytes[i];
        if (bytes.Length is > 0 and < 8 && (bytes[^1] & 0x80) != 0) value -= 1L << (8 * bytes.Length);   // two's complement
        return value;
    }

    private string Text(object? value) => value as string ?? throw Fail("STACK_GLOBAL needs two strings");

    private T As<T>(object? value, string what) => value is T t ? t : throw Fail($"{what}: expected {typeof(T).Name}, found {value?.GetType().Name ?? "None"}");

    private DataException Fail(string problem) => DataException.At(_source, "pickle " + problem);
}
