using Node.Federation.Sync.Reconciliation.Internal;

namespace Node.Federation.Sync.Reconciliation;

/// <summary>
/// The responding side of range-based set reconciliation (Negentropy-style; docs/protocol.md, "Set reconciliation"):
/// answers each query from the initiator with one reply. Stateless: each query carries all it needs.
/// </summary>
public static class ReconcileResponder
{
    /// <summary>Answers <paramref name="query"/> against <paramref name="set"/>.</summary>
    /// <param name="set">This side's view, the same one for every query of a reconciliation.</param>
    /// <param name="query">The initiator's message, as received; any bytes at all.</param>
    /// <param name="options">The parameters; <see cref="ReconcileOptions.Default"/> if null.</param>
    /// <returns>
    /// The reply to send (at most <see cref="ReconcileOptions.FrameLimit"/> bytes), or a refusal naming what is wrong
    /// with the query. Never throws on a bad query; the work per query is bounded (ranges, list lengths, a work budget
    /// past which the rest of the query is deferred).
    /// </returns>
    /// <exception cref="ArgumentException"><paramref name="options"/> are not valid.</exception>
    public static ReconcileResult Respond(SyncKeySet set, ReadOnlyMemory<byte> query, ReconcileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(set);
        options ??= ReconcileOptions.Default;
        options.ThrowIfInvalid();
        return MessageReader.Read(query, Direction.Query, options, expectedFingerprintLength: 0, out var message) is { } refusal
            ? refusal
            : new ResponderRound(set, message!, options).Run();
    }
}
