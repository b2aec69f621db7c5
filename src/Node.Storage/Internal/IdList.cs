namespace Node.Storage.Internal;

/// <summary>
/// Many 32-byte ids handed to one statement as one blob parameter, <c>$ids</c>, and split back into
/// rows <c>(n, id)</c> by a recursive CTE — one statement, one bind and one snapshot for a batch,
/// instead of one lookup per id (SQLite has no array parameter).
/// </summary>
internal static class IdList
{
    /// <summary>Most ids in one list: the recursion depth SQLite allows is far above it; a sync batch is at most 1,024.</summary>
    public const int MaxIds = 65_536;

    /// <summary>The CTE to follow <c>WITH RECURSIVE</c>: rows <c>ids(n, id)</c>, n from 0 in the order given.</summary>
    public const string Cte = """
        ids(n, id) AS (SELECT 0, substr($ids, 1, 32) WHERE length($ids) >= 32
          UNION ALL SELECT n + 1, substr($ids, n * 32 + 33, 32) FROM ids WHERE (n + 2) * 32 <= length($ids))
        """;

    /// <summary>The ids as one blob, in order.</summary>
    /// <exception cref="ArgumentException">An id is not 32 bytes, or there are more than <see cref="MaxIds"/>.</exception>
    public static byte[] Join(IReadOnlyList<byte[]> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count > MaxIds)
        {
            throw new ArgumentException($"At most {MaxIds} ids in one list; were {ids.Count}.", nameof(ids));
        }

        var joined = new byte[ids.Count * 32];
        for (var i = 0; i < ids.Count; i++)
        {
            if (ids[i] is not { Length: 32 } id)
            {
                throw new ArgumentException($"A packet id is 32 bytes; id {i} was {ids[i]?.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"}.", nameof(ids));
            }

            id.CopyTo(joined, i * 32);
        }

        return joined;
    }
}
