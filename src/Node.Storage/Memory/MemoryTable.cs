using Node.Storage.Internal;

namespace Node.Storage.Memory;

/// <summary>The reasoning memory, inside a write.</summary>
public sealed class MemoryTable : MemoryQueries
{
    internal MemoryTable(CommandCache commands)
        : base(commands)
    {
    }

    /// <summary>Adds a row.</summary>
    public void Insert(string subject, long time, string kind, byte[] content) =>
        Commands.Get("INSERT INTO memory (subject, time, kind, content) VALUES ($subject, $time, $kind, $content)")
            .With("$subject", subject).With("$time", time).With("$kind", kind).With("$content", content).ExecuteNonQuery();

    /// <summary>Removes every row of <paramref name="kind"/>; returns how many.</summary>
    public long DeleteKind(string kind) => Commands.Get("DELETE FROM memory WHERE kind = $kind").With("$kind", kind).ExecuteNonQuery();

    /// <summary>Gives every row of <paramref name="kind"/> the kind <paramref name="newKind"/> (to keep it aside); returns how many.</summary>
    public long Rekind(string kind, string newKind) =>
        Commands.Get("UPDATE memory SET kind = $new WHERE kind = $kind").With("$new", newKind).With("$kind", kind).ExecuteNonQuery();

    /// <summary>Removes the rows of <paramref name="kind"/> older than <paramref name="before"/> (Unix ms); returns how many.</summary>
    public long DeleteBefore(string kind, long before) =>
        Commands.Get("DELETE FROM memory WHERE kind = $kind AND time < $before").With("$kind", kind).With("$before", before).ExecuteNonQuery();
}
