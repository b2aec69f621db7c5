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

    /// <summary>
    /// Writes <paramref name="content"/> to <paramref name="path"/> with <paramref name="mode"/>: into
    /// <paramref name="temporary"/> (<c>path.new</c> when not given) first, fsynced, then renamed over
    /// <paramref name="path"/> and the directory fsynced, so <paramref name="path"/> holds either what it held or
    /// the whole content. The temporary file is removed when anything fails.
    /// </summary>
    public static void WriteFile(string path, ReadOnlySpan<byte> content, UnixFileMode mode, string? temporary = null)
    {
        temporary ??= path + ".new";
        try
        {
            using (var file = new FileStream(temporary, new FileStreamOptions
            {
                Mode = FileMode.Create,
                Access = FileAccess.Write,
                Share = FileShare.None,
                UnixCreateMode = mode,
            }))
            {
                file.Write(content);
                file.Flush(flushToDisk: true);
            }

            File.SetUnixFileMode(temporary, mode); // in case it existed from an interrupted write
            Rename(temporary, path);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
