using System.Collections.Concurrent;

namespace Node.Federation.Sync;

/// <summary>Every peer's <see cref="SyncProgress"/>, by node id, as long as the node runs. Thread-safe.</summary>
public sealed class SyncBook
{
    private readonly ConcurrentDictionary<string, SyncProgress> _peers = new(StringComparer.Ordinal);

    /// <summary>The progress of <paramref name="peer"/> (made on first use).</summary>
    public SyncProgress Of(string peer) => _peers.GetOrAdd(peer, p => new SyncProgress(p));

    /// <summary>A snapshot of every peer synced with (or served) since start, by node id.</summary>
    public IReadOnlyList<SyncSnapshot> All() => [.. _peers.Values.Select(p => p.Snapshot()).OrderBy(s => s.Peer, StringComparer.Ordinal)];

    /// <summary>Counts packets served to <paramref name="peer"/> (a catch-up page or a fetch reply).</summary>
    public void Served(string peer, int packets, long bytes)
    {
        if (packets == 0)
        {
            return;
        }

        Of(peer).Update(s => s with
        {
            PacketsSent = s.PacketsSent + packets,
            BytesSent = s.BytesSent + bytes,
            ToSend = s.ToSend is { } n ? Math.Max(0, n - packets) : null,
        });
    }
}
