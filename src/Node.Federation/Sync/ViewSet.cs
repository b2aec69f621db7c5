using Node.Federation.Sync.Reconciliation;

namespace Node.Federation.Sync;

/// <summary>
/// A view's keys — each packet's signed HLC and id — as reconciliation works on them
/// (<see cref="SyncKeySet"/>: sorted, with range fingerprints), and the newest receive sequence when
/// they were read: the cursor a reconciliation ends at.
/// </summary>
public sealed class ViewSet
{
    private readonly SyncKeySet _set;

    private ViewSet(SyncKeySet set, long lastSeq)
    {
        _set = set;
        LastSeq = lastSeq;
    }

    /// <summary>The newest receive sequence when the keys were read.</summary>
    public long LastSeq { get; }

    /// <summary>How many packets the set holds.</summary>
    public int Count => _set.Count;

    /// <summary>A set of <paramref name="keys"/> (a store's view, in any order) read at <paramref name="lastSeq"/>.</summary>
    public static ViewSet Build(IEnumerable<(long Hlc, byte[] Id)> keys, long lastSeq)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return new ViewSet(SyncKeySet.Create(keys.Select(k => new SyncKey((ulong)k.Hlc, k.Id))), lastSeq);
    }

    /// <summary>The responder's answer to <paramref name="query"/>, or why it is refused (never throws on garbage).</summary>
    public (byte[] Message, string? Error) Respond(ReadOnlyMemory<byte> query)
    {
        var result = ReconcileResponder.Respond(_set, query);
        return result.Succeeded ? (result.Message ?? [], null) : ([], $"{result.Error}: {result.Detail}");
    }

    /// <summary>Starts a reconciliation as the initiator.</summary>
    public ViewReconciliation Start() => new(new ReconcileInitiator(_set));
}

/// <summary>The initiator's side of one reconciliation over a <see cref="ViewSet"/>.</summary>
public sealed class ViewReconciliation
{
    private readonly ReconcileInitiator _initiator;

    internal ViewReconciliation(ReconcileInitiator initiator)
    {
        _initiator = initiator;
        First = initiator.Initiate();
    }

    /// <summary>The first message.</summary>
    public byte[] First { get; }

    /// <summary>Round trips so far.</summary>
    public int Rounds => _initiator.Rounds;

    /// <summary>
    /// Takes the responder's reply: ids we hold that the peer lacks go to <paramref name="have"/>,
    /// ids it holds that we lack to <paramref name="need"/>; <paramref name="next"/> is the next
    /// message, null when done. False, with <paramref name="error"/>, when the reply breaks the protocol.
    /// </summary>
    public bool TryStep(ReadOnlyMemory<byte> reply, List<byte[]> have, List<byte[]> need, out byte[]? next, out string? error)
    {
        ArgumentNullException.ThrowIfNull(have);
        ArgumentNullException.ThrowIfNull(need);
        var ours = new List<SyncKey>();
        var theirs = new List<SyncKey>();
        var result = _initiator.Step(reply, ours, theirs);
        have.AddRange(ours.Select(k => k.IdToArray()));
        need.AddRange(theirs.Select(k => k.IdToArray()));
        next = result.Succeeded ? result.Message : null;
        error = result.Succeeded ? null : $"{result.Error}: {result.Detail}";
        return result.Succeeded;
    }
}
