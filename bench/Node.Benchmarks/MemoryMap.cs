using System.Globalization;

namespace Node.Benchmarks;

/// <summary>
/// A process's resident memory by where it lives, from <c>/proc/&lt;pid&gt;/smaps</c>: the binary's
/// mapped code and data, the runtime data the binary builds in anonymous memory at start, each
/// native library, the GC's committed regions, malloc's heaps, thread stacks, and the rest.
/// </summary>
internal sealed class MemoryMap
{
    public const string Binary = "sovereign-node: code and read-only data (file)";
    public const string RuntimeData = "sovereign-node: data made at start (anonymous)";
    public const string GcHeap = "GC heap: committed regions";
    public const string Malloc = "malloc: main heap and thread arenas";
    public const string Stacks = "thread stacks";
    public const string OpenSsl = "libcrypto + libssl (OpenSSL)";
    public const string Sqlite = "libe_sqlite3";
    public const string Sodium = "libsodium";
    public const string SystemLibraries = "libc, libm, ld.so, others";
    public const string Other = "other anonymous (GC bookkeeping, runtime)";

    /// <summary>The order rows are printed in.</summary>
    public static readonly string[] Order = [Binary, RuntimeData, GcHeap, Malloc, Stacks, OpenSsl, Sqlite, Sodium, SystemLibraries, Other];

    private const long Arena = 64 * 1024; // kB: a glibc thread arena reserves 64 MiB

    private MemoryMap(Dictionary<string, long> kib) => KiB = kib;

    /// <summary>Resident kB by <see cref="Order"/> name.</summary>
    public IReadOnlyDictionary<string, long> KiB { get; }

    public long TotalKiB => KiB.Values.Sum();

    /// <summary>
    /// Reads the map of <paramref name="pid"/>. <paramref name="gcRegionRange"/> is the GC's
    /// <c>GCRegionRange</c> (bytes): its regions are the anonymous mappings in that much address
    /// space ending where its largest reservation ends.
    /// </summary>
    public static MemoryMap Read(int pid, string binary, long gcRegionRange)
    {
        var maps = Parse(File.ReadAllLines($"/proc/{pid}/smaps"));
        var reserve = maps.Where(m => m.Anonymous && m.Perms == "---p").MaxBy(m => m.End - m.Start);
        var (gcStart, gcEnd) = reserve is null ? (0UL, 0UL) : (reserve.End - (ulong)gcRegionRange, reserve.End);
        var binaryEnd = maps.Where(m => m.Path == binary).Select(m => m.End).DefaultIfEmpty().Max();

        var kib = Order.ToDictionary(o => o, _ => 0L, StringComparer.Ordinal);
        for (var i = 0; i < maps.Count; i++)
        {
            var m = maps[i];
            var next = i + 1 < maps.Count ? maps[i + 1] : null;
            var previous = i > 0 ? maps[i - 1] : null;
            kib[Classify(m, previous, next)] += m.RssKiB;
        }

        return new MemoryMap(kib);

        string Classify(Mapping m, Mapping? previous, Mapping? next)
        {
            if (!m.Anonymous)
            {
                var name = Path.GetFileName(m.Path);
                return m.Path == binary ? Binary
                    : name.StartsWith("libcrypto", StringComparison.Ordinal) || name.StartsWith("libssl", StringComparison.Ordinal) ? OpenSsl
                    : name.StartsWith("libe_sqlite3", StringComparison.Ordinal) ? Sqlite
                    : name.StartsWith("libsodium", StringComparison.Ordinal) ? Sodium
                    : SystemLibraries;
            }

            if (m.Path == "[heap]")
            {
                return Malloc;
            }

            if (m.Path == "[stack]")
            {
                return Stacks;
            }

            if (m.Start >= gcStart && m.End <= gcEnd)
            {
                return GcHeap;
            }

            if (m.Start == binaryEnd)
            {
                return RuntimeData;
            }

            // A thread arena: its used part, then the rest of its 64 MiB reserved, 64 MiB aligned.
            if (m.Perms == "rw-p" && m.Start % (Arena * 1024) == 0 && next is { Anonymous: true, Perms: "---p" } && next.Start == m.End
                && (next.End - m.Start) / 1024 == Arena)
            {
                return Malloc;
            }

            // A thread's stack: below it, its guard page.
            if (m.Perms == "rw-p" && previous is { Anonymous: true, Perms: "---p" } && previous.End == m.Start && previous.End - previous.Start <= 64 * 1024
                && m.End - m.Start >= 256 * 1024)
            {
                return Stacks;
            }

            return Other;
        }
    }

    private static List<Mapping> Parse(string[] lines)
    {
        var maps = new List<Mapping>();
        foreach (var line in lines)
        {
            var dash = line.IndexOf('-', StringComparison.Ordinal);
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (dash > 0 && space > dash && ulong.TryParse(line.AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var start))
            {
                var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
                var path = fields.Length == 6 ? fields[5].Trim() : "";
                maps.Add(new Mapping(start, ulong.Parse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                    fields[1], path));
            }
            else if (line.StartsWith("Rss:", StringComparison.Ordinal) && maps.Count > 0)
            {
                maps[^1].RssKiB = long.Parse(line.AsSpan(4).Trim().ToString().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return maps;
    }

    private sealed record Mapping(ulong Start, ulong End, string Perms, string Path)
    {
        public bool Anonymous => Path.Length == 0 || Path.StartsWith('[');

        public long RssKiB { get; set; }
    }
}
