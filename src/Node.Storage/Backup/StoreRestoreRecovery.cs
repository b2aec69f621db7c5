namespace Node.Storage;

/// <summary>
/// The last step of a restore, safe against a power cut at any point: a marker file says a
/// checked, fsynced staging copy is ready; the step removes the old write-ahead log (already
/// copied aside), renames the staging copy over <c>node.db</c>, and removes the marker, each made
/// durable. A restore interrupted by a crash is finished by the next open.
/// </summary>
internal static class StoreRestoreRecovery
{
    public const string MarkerName = "restore.pending";

    public static string Staging(string directory) => Path.Combine(directory, NodeStore.FileName + ".restoring");

    /// <summary>Finishes a pending restore in <paramref name="directory"/>, if there is one. The caller holds the store's lock.</summary>
    public static void Complete(string directory)
    {
        var marker = Path.Combine(directory, MarkerName);
        if (!File.Exists(marker))
        {
            return;
        }

        var target = Path.Combine(directory, NodeStore.FileName);
        var staging = Staging(directory);
        if (File.Exists(staging))
        {
            // The old database's log must not be replayed onto the restored file.
            File.Delete(target + "-wal");
            File.Delete(target + "-shm");
            Durable.FlushDirectory(directory);
            Durable.Rename(staging, target);
        }

        File.Delete(marker);
        Durable.FlushDirectory(directory);
    }

    /// <summary>Records that <see cref="Staging"/> is complete and checked, durably.</summary>
    public static void MarkReady(string directory)
    {
        var marker = Path.Combine(directory, MarkerName);
        File.WriteAllText(marker, NodeStore.FileName + ".restoring\n");
        Durable.FlushFile(marker);
        Durable.FlushDirectory(directory);
    }
}
