using Node.Storage;
using Node.Storage.Packets;

namespace Node.Federation.Sync;

/// <summary>
/// The sets reconciliation answers from, per view: built from the store when first asked and again
/// when the store changed since (a packet stored, removed or marked), shared by every peer
/// reconciling that view. Each has a snapshot number; a reconciliation pins the one its first reply
/// came from, so all its replies come from one set even while packets arrive. A set no longer the
/// newest is kept <see cref="PinnedFor"/> after its last use, at most <see cref="Kept"/> per view.
/// Thread-safe.
/// </summary>
public sealed class ViewSets(NodeStore store, TimeProvider time)
{
    /// <summary>How long a set stays after its last use while no longer the newest.</summary>
    public static readonly TimeSpan PinnedFor = TimeSpan.FromMinutes(2);

    /// <summary>Most sets kept per view, the newest included.</summary>
    public const int Kept = 3;

    private readonly Lock _gate = new();
    private readonly Dictionary<PacketScope, List<Entry>> _sets = [];
    private long _snapshots;

    /// <summary>The set of the view <paramref name="view"/> as the store holds it now, and its snapshot number.</summary>
    public (ViewSet Set, long Snapshot) Get(PacketScope view)
    {
        using var reader = store.OpenReader();
        var stamp = new StoreStamp(reader.Packets.LastSeq(), reader.Packets.CorruptCount(), reader.Sync.RetractionCount());
        lock (_gate)
        {
            if (Of(view) is [.., var newest] && newest.Stamp == stamp)
            {
                newest.UsedAt = time.GetTimestamp();
                return (newest.Set, newest.Snapshot);
            }
        }

        var set = ViewSet.Build(reader.Sync.Keys(view), stamp.LastSeq);

        lock (_gate)
        {
            var entries = Of(view);
            var entry = new Entry(stamp, set, Interlocked.Increment(ref _snapshots)) { UsedAt = time.GetTimestamp() };
            entries.Add(entry);
            entries.RemoveAll(e => e != entry && time.GetElapsedTime(e.UsedAt) > PinnedFor);
            while (entries.Count > Kept)
            {
                entries.RemoveAt(0);
            }

            return (set, entry.Snapshot);
        }
    }

    /// <summary>The set with snapshot number <paramref name="snapshot"/> of the view, while it is kept; null when it is gone.</summary>
    public ViewSet? Pinned(PacketScope view, long snapshot)
    {
        lock (_gate)
        {
            var entry = Of(view).Find(e => e.Snapshot == snapshot);
            if (entry is null || time.GetElapsedTime(entry.UsedAt) > PinnedFor)
            {
                return null;
            }

            entry.UsedAt = time.GetTimestamp();
            return entry.Set;
        }
    }

    private List<Entry> Of(PacketScope view)
    {
        if (!_sets.TryGetValue(view, out var entries))
        {
            _sets[view] = entries = [];
        }

        return entries;
    }

    // What changes a view's set: a packet stored (the sequence), one marked corrupt or repaired, one retracted.
    private readonly record struct StoreStamp(long LastSeq, long Corrupt, long Retractions);

    private sealed class Entry(StoreStamp stamp, ViewSet set, long snapshot)
    {
        public StoreStamp Stamp { get; } = stamp;

        public ViewSet Set { get; } = set;

        public long Snapshot { get; } = snapshot;

        public long UsedAt { get; set; }
    }
}
