namespace Node.Federation.Sync;

// INTERIM (replaced by the range-based reconciliation before this lands): the whole id list, one round.
/// <summary>A view's keys, ordered by (hlc, id), ready to reconcile.</summary>
public sealed class ViewSet
{
    private readonly List<byte[]> _ids;

    private ViewSet(List<byte[]> ids, long lastSeq)
    {
        _ids = ids;
        LastSeq = lastSeq;
    }

    /// <summary>The newest receive sequence when the keys were read.</summary>
    public long LastSeq { get; }

    /// <summary>How many packets the set holds.</summary>
    public int Count => _ids.Count;

    /// <summary>A set of <paramref name="keys"/> read at <paramref name="lastSeq"/>.</summary>
    public static ViewSet Build(IEnumerable<(long Hlc, byte[] Id)> keys, long lastSeq) => new([.. keys.Select(k => k.Id)], lastSeq);

    /// <summary>The responder's answer to <paramref name="query"/>, or why it is refused.</summary>
    public (byte[] Message, string? Error) Respond(ReadOnlySpan<byte> query) => ([.. _ids.SelectMany(i => i)], null);

    /// <summary>Starts a reconciliation as the initiator.</summary>
    public ViewReconciliation Start() => new(_ids);
}

/// <summary>The initiator's side of one reconciliation.</summary>
public sealed class ViewReconciliation(List<byte[]> ours)
{
    /// <summary>The first message.</summary>
    public byte[] First { get; } = [1];

    /// <summary>Takes the responder's reply: adds to <paramref name="have"/> and <paramref name="need"/>; <paramref name="next"/> is null when done.</summary>
    public bool TryStep(ReadOnlySpan<byte> reply, List<byte[]> have, List<byte[]> need, out byte[]? next, out string? error)
    {
        next = null;
        error = null;
        if (reply.Length % 32 != 0)
        {
            error = "not a list of ids";
            return false;
        }

        var theirs = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < reply.Length; i += 32)
        {
            var id = reply.Slice(i, 32).ToArray();
            theirs.Add(Convert.ToHexString(id));
            if (!ours.Any(o => o.AsSpan().SequenceEqual(id)))
            {
                need.Add(id);
            }
        }

        have.AddRange(ours.Where(o => !theirs.Contains(Convert.ToHexString(o))));
        return true;
    }
}
