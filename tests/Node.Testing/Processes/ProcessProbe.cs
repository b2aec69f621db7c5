namespace Node.Testing.Processes;

/// <summary>What Linux says of another process: its resident memory and its open file descriptors.</summary>
public static class ProcessProbe
{
    /// <summary>Resident set size in bytes (<c>VmRSS</c> of <c>/proc/&lt;pid&gt;/status</c>).</summary>
    public static long ResidentBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                // "VmRSS:	   12345 kB"
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException($"No VmRSS in /proc/{pid}/status.");
    }

    /// <summary>Open file descriptors (entries of <c>/proc/&lt;pid&gt;/fd</c>).</summary>
    public static int OpenDescriptors(int pid) => Directory.GetFiles($"/proc/{pid}/fd").Length;

    /// <summary>The eight most common kinds of open descriptor ("socket", "pipe", a file's path), with their counts, for messages.</summary>
    public static string DescribeDescriptors(int pid) =>
        string.Join(", ", Directory.GetFiles($"/proc/{pid}/fd")
            .Select(fd => new FileInfo(fd).LinkTarget ?? "?")
            .Select(target => target.StartsWith("socket:", StringComparison.Ordinal) || target.StartsWith("pipe:", StringComparison.Ordinal)
                ? target[..target.IndexOf(':', StringComparison.Ordinal)] : target)
            .GroupBy(kind => kind, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count())
            .Take(8)
            .Select(g => $"{g.Count()} {g.Key}"));

    /// <summary>Open sockets (descriptors that link to <c>socket:[inode]</c>): the listeners and every accepted connection.</summary>
    public static int OpenSockets(int pid) =>
        Directory.GetFiles($"/proc/{pid}/fd").Count(fd => new FileInfo(fd).LinkTarget?.StartsWith("socket:", StringComparison.Ordinal) == true);

    /// <summary>
    /// Waits, polling, until the process holds at most <paramref name="limit"/> sockets or
    /// <paramref name="timeout"/> passes; returns the last count.
    /// </summary>
    public static async Task<int> WaitForSocketsAsync(int pid, int limit, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var until = DateTime.UtcNow + timeout;
        var count = OpenSockets(pid);
        while (count > limit && DateTime.UtcNow < until)
        {
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            count = OpenSockets(pid);
        }

        return count;
    }

    /// <summary>CPU time the process has used, user and system (<c>utime + stime</c> of <c>/proc/&lt;pid&gt;/stat</c>).</summary>
    public static TimeSpan CpuTime(int pid)
    {
        // The fields after the command name, which is in parentheses and may hold spaces.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ is 100 on Linux
    }

    /// <summary>Mebibytes, for messages.</summary>
    public static string MiB(long bytes) => $"{bytes / (1024.0 * 1024.0):F1} MiB";
}
