using System.Globalization;
using System.Net;

namespace Node.Testing.Processes;

/// <summary>
/// The TCP sockets a process listens on, read from Linux's <c>/proc</c>: its socket inodes
/// (<c>/proc/PID/fd</c>) matched against the listening entries of <c>/proc/net/tcp</c> and <c>tcp6</c>.
/// </summary>
public static class ListeningSockets
{
    private const string Listen = "0A";

    public static IReadOnlyList<IPEndPoint> Of(int pid)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var fd in Directory.EnumerateFiles($"/proc/{pid}/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("socket:[", StringComparison.Ordinal))
                {
                    inodes.Add(target["socket:[".Length..^1]);
                }
            }
            catch (IOException)
            {
                // closed while we looked
            }
        }

        return [.. Entries("/proc/net/tcp").Concat(Entries("/proc/net/tcp6"))
            .Where(e => e.State == Listen && inodes.Contains(e.Inode))
            .Select(e => e.Local)];
    }

    private static IEnumerable<(IPEndPoint Local, string State, string Inode)> Entries(string table)
    {
        if (!File.Exists(table))
        {
            yield break;
        }

        foreach (var line in File.ReadLines(table).Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var (address, port) = (fields[1].Split(':')[0], fields[1].Split(':')[1]);
            yield return (new IPEndPoint(Address(address), int.Parse(port, NumberStyles.HexNumber, CultureInfo.InvariantCulture)), fields[3], fields[9]);
        }
    }

    // The kernel prints each 32-bit word of the address in host (little-endian) order.
    private static IPAddress Address(string hex)
    {
        var bytes = Convert.FromHexString(hex);
        for (var word = 0; word < bytes.Length; word += 4)
        {
            Array.Reverse(bytes, word, 4);
        }

        return new IPAddress(bytes);
    }
}
