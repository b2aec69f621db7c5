namespace Node.Storage;

// node.lock: one process per store, and the holder's pid for the message that refuses a second.
public sealed partial class NodeStore
{
    internal static FileStream AcquireLock(string directory)
    {
        var path = System.IO.Path.Combine(directory, LockFileName);
        try
        {
            // FileShare.None takes an exclusive flock(2): a second process (or a restore) is refused.
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            // The lock file cannot be read while it is locked, so the holder's pid goes beside it.
            File.WriteAllText(path + ".pid", $"{Environment.ProcessId}\n");
            return stream;
        }
        catch (DirectoryNotFoundException ex)
        {
            throw new StoreOpenException(StoreProblem.Unreadable, $"The state directory {directory} does not exist.", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new StoreOpenException(StoreProblem.Unreadable, $"The state directory {directory} is not writable for this user: {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            var holder = TryReadPid(path + ".pid");
            throw new StoreOpenException(StoreProblem.Locked,
                $"The store in {directory} is in use by another process{(holder is null ? "" : $" (pid {holder})")}: {LockFileName} is locked. " +
                "Stop that sovereign-node first, or give this one another --data-dir.", ex);
        }
    }

    private static string? TryReadPid(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim() is { Length: > 0 } pid ? pid : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
