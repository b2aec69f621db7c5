using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using Node.Daemon.Systemd;

namespace Node.Daemon.Logging;

/// <summary>Where the console output goes, which decides how it is written.</summary>
public enum ConsoleKind
{
    /// <summary>A terminal: timestamps and colours.</summary>
    Terminal,

    /// <summary>A pipe or file: timestamps, no colours.</summary>
    Plain,

    /// <summary>systemd's journal: a <c>&lt;priority&gt;</c> prefix, no timestamp (the journal adds its own).</summary>
    Journal,
}

/// <summary>Finds the <see cref="ConsoleKind"/> of this process's standard output.</summary>
public static partial class ConsoleKindDetector
{
    /// <summary>
    /// Journal when <c>JOURNAL_STREAM</c> names the device and inode of stdout (systemd.exec(5):
    /// the variable is inherited, so it must be checked against the stream itself); terminal when
    /// stdout is a TTY; plain otherwise.
    /// </summary>
    public static ConsoleKind Detect(SystemdEnvironment systemd)
    {
        ArgumentNullException.ThrowIfNull(systemd);
        if (systemd.JournalStream is { } stream && TryGetDeviceAndInode(1, out var device, out var inode) && IsStream(stream, device, inode))
        {
            return ConsoleKind.Journal;
        }

        return Console.IsOutputRedirected ? ConsoleKind.Plain : ConsoleKind.Terminal;
    }

    /// <summary>Whether <c>JOURNAL_STREAM</c>'s <c>device:inode</c> (decimal) names <paramref name="device"/> and <paramref name="inode"/>.</summary>
    public static bool IsStream(string journalStream, ulong device, ulong inode)
    {
        ArgumentNullException.ThrowIfNull(journalStream);
        var parts = journalStream.Split(':');
        return parts.Length == 2 &&
               ulong.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var d) && d == device &&
               ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i == inode;
    }

    /// <summary>fstat(2) of a file descriptor: its device and inode.</summary>
    public static unsafe bool TryGetDeviceAndInode(int fileDescriptor, out ulong device, out ulong inode)
    {
        // struct stat begins with st_dev then st_ino, 8 bytes each, on x86_64 and aarch64 alike;
        // the buffer is larger than the whole struct on both.
        var buffer = stackalloc byte[256];
        if (FStat(fileDescriptor, buffer) != 0)
        {
            device = inode = 0;
            return false;
        }

        var span = new ReadOnlySpan<byte>(buffer, 16);
        device = BinaryPrimitives.ReadUInt64LittleEndian(span);
        inode = BinaryPrimitives.ReadUInt64LittleEndian(span[8..]);
        return true;
    }

    /// <summary>The sd-daemon(3) priority prefix for a Serilog level.</summary>
    internal static string Priority(Serilog.Events.LogEventLevel level) => level switch
    {
        Serilog.Events.LogEventLevel.Fatal => "<2>",
        Serilog.Events.LogEventLevel.Error => "<3>",
        Serilog.Events.LogEventLevel.Warning => "<4>",
        Serilog.Events.LogEventLevel.Information => "<6>",
        _ => "<7>",
    };

    internal static readonly IFormatProvider Invariant = CultureInfo.InvariantCulture;

    [LibraryImport("libc", EntryPoint = "fstat", SetLastError = true)]
    private static unsafe partial int FStat(int fileDescriptor, byte* buffer);
}
