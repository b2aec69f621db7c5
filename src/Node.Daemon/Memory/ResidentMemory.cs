using System.Buffers.Text;

namespace Node.Daemon.Memory;

/// <summary>This process's resident memory, read without allocating.</summary>
internal static class ResidentMemory
{
    /// <summary>Resident bytes (VmRSS): the second field of <c>/proc/self/statm</c>, in pages; 0 if it cannot be read.</summary>
    public static long Bytes()
    {
        Span<byte> statm = stackalloc byte[128]; // "size resident shared text lib data dt": seven numbers
        try
        {
            using var file = File.OpenHandle("/proc/self/statm");
            statm = statm[..RandomAccess.Read(file, statm, 0)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }

        var space = statm.IndexOf((byte)' ');
        return space > 0 && Utf8Parser.TryParse(statm[(space + 1)..], out long pages, out _) ? pages * Environment.SystemPageSize : 0;
    }
}
