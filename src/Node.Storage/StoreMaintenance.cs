using Node.Storage.Events;

namespace Node.Storage;

/// <summary>Retention and space primitives; the schedules that use them live with their owners.</summary>
public static class StoreMaintenance
{
    /// <summary>
    /// Removes reasoning-memory rows older than <paramref name="before"/> (of one subject, or all),
    /// and records how many in the event log.
    /// </summary>
    /// <returns>The number of rows removed.</returns>
    public static Task<long> DeleteMemoryBeforeAsync(NodeStore store, DateTimeOffset before, string? subject = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var cutoff = before.ToUnixTimeMilliseconds();
        return store.Writer.WriteAsync(context =>
        {
            var delete = context.Command(subject is null
                ? "DELETE FROM memory WHERE time < $before"
                : "DELETE FROM memory WHERE subject = $subject AND time < $before");
            delete.Parameters.AddWithValue("$before", cutoff);
            if (subject is not null)
            {
                delete.Parameters.AddWithValue("$subject", subject);
            }

            long removed = delete.ExecuteNonQuery();
            if (removed > 0)
            {
                var subjectJson = subject is null ? "null" : System.Text.Json.JsonSerializer.Serialize(subject, StorageJson.Default.String);
                context.AppendEvent(EventKinds.MemoryCompacted, $$"""{"before":{{cutoff}},"subject":{{subjectJson}},"removed":{{removed}}}""");
            }

            return removed;
        }, cancellationToken);
    }

    /// <summary>Pages in the database file that hold nothing (reclaimable by <see cref="ReclaimAsync"/>).</summary>
    public static long FreePages(NodeStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        using var reader = store.OpenReader();
        return Sql.Scalar<long>(reader, "PRAGMA freelist_count");
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
