using Node.Federation.Sync;
using Node.Protocol.Api;
using Node.Storage;
using Node.Storage.Packets;

namespace Node.Daemon.Api;

/// <summary>
/// The digests of the views this node serves (<see cref="ViewDigest"/>), for <c>GetSyncStatus</c>:
/// each a walk over the whole view, so kept until the store next commits a write. Thread-safe.
/// </summary>
internal sealed class ViewSummaries(NodeStore store)
{
    private readonly Lock _gate = new();
    private Summaries? _last;

    /// <summary>The core view (core and shareable packets) and the shareable view, as they are now.</summary>
    public (ViewSummary Core, ViewSummary Shareable) Now()
    {
        // Read before the walk: a commit during it moves the count on, and the next call walks again.
        var batches = store.Writer.CommittedBatches;
        lock (_gate)
        {
            if (_last is { } last && last.Batches == batches)
            {
                return (last.Core.Clone(), last.Shareable.Clone());
            }
        }

        var summaries = new Summaries(batches, Summary(PacketScope.Core), Summary(PacketScope.Shareable));
        lock (_gate)
        {
            _last = summaries;
        }

        return (summaries.Core.Clone(), summaries.Shareable.Clone());
    }

    private ViewSummary Summary(PacketScope lowest)
    {
        var (digest, count) = ViewDigest.Of(store, lowest);
        return new ViewSummary { Digest = digest, Packets = count };
    }

    private sealed record Summaries(long Batches, ViewSummary Core, ViewSummary Shareable);
}
