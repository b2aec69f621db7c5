namespace Node.Storage;

/// <summary>Space primitives; the schedules that use them live with their owners.</summary>
public static class StoreMaintenance
{
    /// <summary>Pages in the database file that hold nothing (reclaimable by <see cref="ReclaimAsync"/>).</summary>
    public static long FreePages(NodeStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        using var reader = store.OpenReader();
        return reader.Store.FreePages();
    }

    /// <summary>Returns up to <paramref name="pages"/> free pages to the file system (incremental vacuum).</summary>
    public static Task ReclaimAsync(NodeStore store, int pages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pages);
        return store.Writer.WriteAsync(context =>
        {
            using var reader = context.Command($"PRAGMA incremental_vacuum({pages})").ExecuteReader();
            while (reader.Read())
            {
            }
        }, cancellationToken);
    }
}
