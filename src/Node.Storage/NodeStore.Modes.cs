using Microsoft.Extensions.Logging;

namespace Node.Storage;

// The state directory and the database hold the node's knowledge and its API-key records: owner
// only, whatever the umask (0022 outside systemd gave 0644).
public sealed partial class NodeStore
{
    /// <summary>Mode of <c>node.db</c>, its <c>-wal</c> and <c>-shm</c>, and a backup: 0600.</summary>
    public const UnixFileMode PrivateFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode GroupAndOthers = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
                                                UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Makes an empty file at <paramref name="path"/>, mode 0600 (SQLite fills it; its -wal and -shm copy the mode).</summary>
    /// <exception cref="IOException">The file exists, or cannot be made.</exception>
    internal static void CreatePrivateFile(string path)
    {
        using (new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = PrivateFileMode }))
        {
        }
    }

    // Takes group and other permissions off the state directory and the database's files, one
    // warning per change. SQLite makes a new -wal or -shm with the mode of node.db, so once
    // node.db is private, so is what SQLite makes beside it.
    private static void TightenModes(string directory, ILogger logger)
    {
        foreach (var path in (ReadOnlySpan<string>)[directory, System.IO.Path.Combine(directory, FileName),
                     System.IO.Path.Combine(directory, FileName + "-wal"), System.IO.Path.Combine(directory, FileName + "-shm"),
                     System.IO.Path.Combine(directory, FileName + "-journal")])
        {
            if (FileKinds.Of(path) == FileKind.Missing)
            {
                continue;
            }

            try
            {
                var mode = File.GetUnixFileMode(path);
                if ((mode & GroupAndOthers) != 0)
                {
                    File.SetUnixFileMode(path, mode & ~GroupAndOthers);
                    LogTightened(logger, path, Octal(mode), Octal(mode & ~GroupAndOthers));
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Not the owner: the store still opens, and the operator hears why the mode stays.
                LogNotTightened(logger, path, ex.Message);
            }
        }
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Path} had mode {OldMode}, open to other users; set to {NewMode}: the node's state and store hold its knowledge and API-key records.")]
    private static partial void LogTightened(ILogger logger, string path, string oldMode, string newMode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Path} is open to other users and its mode could not be changed: {Reason}. Run chmod go= on it.")]
    private static partial void LogNotTightened(ILogger logger, string path, string reason);
}
