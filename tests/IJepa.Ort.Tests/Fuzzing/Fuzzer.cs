// Test support for fuzzing the readers: mutations of valid inputs (bit flips, interesting integers, cuts, splices,
// numbers swapped in text) and a runner that allows only success or our one-line error per input, within a time,
// a per-input allocation and a hang bound.
using System.Diagnostics;
using System.Text;
using IJepa.Ort.Errors;

namespace IJepa.Ort.Tests.Fuzzing;

internal sealed class Fuzzer(int seed)
{
    /// <summary>Seconds each fuzz test runs (IJEPA_FUZZ_SECONDS overrides, for longer runs by hand).</summary>
    public static double Seconds => double.TryParse(Environment.GetEnvironmentVariable("IJEPA_FUZZ_SECONDS"), out double s) ? s : 2;

    static readonly long[] Interesting =
        [0, 1, -1, 2, 7, 8, 255, 256, 0x7F, 0x80, 0xFFFF, int.MaxValue, int.MinValue, uint.MaxValue, 1L << 31, 1L << 32, 1L << 62, long.MaxValue, long.MinValue];

    static readonly string[] InterestingText =
        ["0", "-1", "1e308", "-1e308", "NaN", ".nan", "inf", "99999999999999999999", "9223372036854775807", "2147483648", "4294967296",
         "null", "~", "true", "\"\"", "[]", "{}", "[[[[[[[[", "{{{{", "&a", "*a", "!!binary", "- ", ": ", "\t", "\u0000", "\uFFFD", "'", "\""];

    public Random Rng { get; } = new(seed);

    /// <summary>1–4 byte-level mutations of <paramref name="input"/>, or (1 in 20) random bytes.</summary>
    public byte[] Mutate(byte[] input)
    {
        if (Rng.Next(20) == 0) return RandomBytes(Rng.Next(64));
        var bytes = new List<byte>(input);
        for (int n = Rng.Next(1, 5); n > 0; n--)
        {
            int at = bytes.Count == 0 ? 0 : Rng.Next(bytes.Count);
            switch (Rng.Next(7))
            {
                case 0 when bytes.Count > 0: bytes[at] ^= (byte)(1 << Rng.Next(8)); break;
                case 1 when bytes.Count > 0: bytes[at] = (byte)Interesting[Rng.Next(Interesting.Length)]; break;
                case 2: Overwrite(bytes, at, Interesting[Rng.Next(Interesting.Length)], Rng.Next(2) == 0 ? 4 : 8, bigEndian: Rng.Next(2) == 0); break;
                case 3: bytes.RemoveRange(Math.Min(at, bytes.Count), bytes.Count - Math.Min(at, bytes.Count)); break;        // truncate
                case 4: bytes.InsertRange(at, RandomBytes(Rng.Next(1, 16))); break;
                case 5 when bytes.Count > 0: bytes.RemoveRange(at, Math.Min(Rng.Next(1, 16), bytes.Count - at)); break;
                default:                                                                                                        // splice a copy
                    int from = bytes.Count == 0 ? 0 : Rng.Next(bytes.Count), length = Math.Min(Rng.Next(1, 32), bytes.Count - from);
                    bytes.InsertRange(at, bytes.GetRange(from, length));
                    break;
            }
        }
        return bytes.ToArray();
    }

    /// <summary>1–4 text-level mutations: numbers replaced by extreme values, tokens inserted, lines cut, copied or swapped.</summary>
    public string MutateText(string text)
    {
        var lines = text.Split('\n').ToList();
        for (int n = Rng.Next(1, 5); n > 0; n--)
        {
            int i = Rng.Next(lines.Count);
            string line = lines[i];
            switch (Rng.Next(6))
            {
                case 0:                                                                            // a number becomes an extreme value
                    var numbers = System.Text.RegularExpressions.Regex.Matches(line, @"-?\d+(\.\d+)?(e-?\d+)?");
                    if (numbers.Count == 0) goto case 1;
                    var m = numbers[Rng.Next(numbers.Count)];
                    lines[i] = line[..m.Index] + InterestingText[Rng.Next(InterestingText.Length)] + line[(m.Index + m.Length)..];
                    break;
                case 1:
                    int at = Rng.Next(line.Length + 1);
                    lines[i] = line[..at] + InterestingText[Rng.Next(InterestingText.Length)] + line[at..];
                    break;
                case 2: lines.RemoveAt(i); if (lines.Count == 0) lines.Add(""); break;
                case 3: lines.Insert(Rng.Next(lines.Count + 1), line); break;
                case 4: (lines[i], lines[^1]) = (lines[^1], lines[i]); break;
                default:
                    if (line.Length == 0) break;
                    int c = Rng.Next(line.Length);
                    lines[i] = line[..c] + (char)Rng.Next(32, 127) + line[(c + 1)..];
                    break;
            }
        }
        return string.Join('\n', lines);
    }

    public byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        Rng.NextBytes(bytes);
        return bytes;
    }

    static void Overwrite(List<byte> bytes, int at, long value, int width, bool bigEndian)
    {
        for (int k = 0; k < width; k++)
        {
            int shift = 8 * (bigEndian ? width - 1 - k : k);
            byte b = (byte)(value >> shift);
            if (at + k < bytes.Count) bytes[at + k] = b;
            else bytes.Add(b);
        }
    }

    /// <summary>
    /// Runs <paramref name="parse"/> on inputs from <paramref name="next"/> for <see cref="Seconds"/>. Allowed: success or an
    /// <see cref="IJepaException"/> with a one-line message. Anything else (another exception, an input taking longer than a
    /// second, more than <paramref name="allocationLimit"/> bytes allocated for one input) fails the test with the input.
    /// </summary>
    public static int Run<T>(int seed, Func<Fuzzer, T> next, Action<T> parse, Func<T, string> show, long allocationLimit = 64L << 20)
    {
        var fuzzer = new Fuzzer(seed);
        var budget = TimeSpan.FromSeconds(Seconds);
        var problems = new List<string>();
        int cases = 0;
        T current = default!;
        var work = Task.Run(() =>
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < budget && problems.Count < 5)
            {
                current = next(fuzzer);
                long before = GC.GetAllocatedBytesForCurrentThread();
                var one = Stopwatch.StartNew();
                try { parse(current); }
                catch (IJepaException e) when (e.Message.Length > 0 && !e.Message.Contains('\n')) { }
                catch (Exception e) { problems.Add($"{e.GetType().Name}: {e.Message.Split('\n')[0]} {Where(e)} <- {show(current)}"); }
                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                if (allocated > allocationLimit) problems.Add($"{allocated:N0} bytes allocated for one input <- {show(current)}");
                if (one.Elapsed > TimeSpan.FromSeconds(1)) problems.Add($"{one.Elapsed.TotalSeconds:F1} s for one input <- {show(current)}");
                cases++;
            }
        });
        if (!work.Wait(budget + TimeSpan.FromSeconds(20)))
        {
            string saved = Path.Combine(Path.GetTempPath(), $"ijepa-fuzz-hang-{seed}.txt");
            File.WriteAllText(saved, current is byte[] b ? Convert.ToHexString(b) : current?.ToString() ?? "");
            Assert.Fail($"hang on input {show(current)} (whole input in {saved})");
        }
        Assert.That(problems, Is.Empty, $"{problems.Count} problems in {cases} inputs");
        TestContext.Out.WriteLine($"{cases} inputs, every one accepted or refused with one line");
        return cases;
    }

    /// <summary>The innermost frame of our own code in the exception's stack.</summary>
    static string Where(Exception e) =>
        e.StackTrace?.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Contains("IJepa.Ort.") && !l.Contains("Tests")) ?? "";

    /// <summary>An input for a failure message: hex of the first 96 bytes.</summary>
    public static string Hex(byte[] bytes) => $"{bytes.Length} bytes {Convert.ToHexString(bytes.AsSpan(0, Math.Min(96, bytes.Length)))}";

    /// <summary>A text input for a failure message, quoted with escapes.</summary>
    public static string Quote(string text) => System.Text.Json.JsonSerializer.Serialize(text.Length > 400 ? text[..400] : text);

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
