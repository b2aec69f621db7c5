using System.Runtime.InteropServices;

namespace Node.Storage;

/// <summary>
/// Makes file-system changes survive a power cut: a file's bytes (fsync of the file) and its
/// name — a create, rename or delete is durable only once its directory is fsynced too.
/// </summary>
public static partial class Durable
{
    /// <summary>fsyncs a file's content.</summary>
    /// <param name="path">The file.</param>
    public static void FlushFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>fsyncs a directory, so the names in it (renames, creates, deletes) are on disk.</summary>
    /// <exception cref="IOException">The directory cannot be opened or synced.</exception>
    public static void FlushDirectory(string directory)
    {
        var fd = Open(directory, 0 /* O_RDONLY */);
        if (fd < 0)
        {
            throw new IOException($"Cannot open directory {directory} to sync it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"Cannot sync directory {directory} (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>Renames <paramref name="from"/> to <paramref name="to"/> (replacing it) and makes the rename durable.</summary>
    public static void Rename(string from, string to)
    {
        File.Move(from, to, overwrite: true);
        FlushDirectory(Path.GetDirectoryName(Path.GetFullPath(to))!);
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
