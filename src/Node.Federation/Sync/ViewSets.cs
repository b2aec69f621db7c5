using Node.Storage;
using Node.Storage.Packets;

namespace Node.Federation.Sync;

/// <summary>
/// The sets reconciliation answers from, one per view, built from the store when first asked and
/// again when the store changed since (a packet stored, removed or marked): every peer reconciling
/// one view shares one set. Thread-safe.
/// </summary>
public sealed class ViewSets(NodeStore store)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<PacketScope, (StoreStamp Stamp, ViewSet Set)> _sets = [];

    /// <summary>The set of the view <paramref name="view"/> as the store holds it now.</summary>
    public ViewSet Get(PacketScope view)
    {
        StoreStamp stamp;
        using (var reader = store.OpenReader())
        {
            stamp = new StoreStamp(reader.Packets.LastSeq(), reader.Packets.CorruptCount(), reader.Sync.RetractionCount());
        }

        lock (_gate)
        {
            if (_sets.TryGetValue(view, out var cached) && cached.Stamp == stamp)
            {
                return cached.Set;
            }
        }

        ViewSet set;
        using (var reader = store.OpenReader())
        {
            set = ViewSet.Build(reader.Sync.Keys(view), stamp.LastSeq);
        }

        lock (_gate)
        {
            _sets[view] = (stamp, set);
        }

        return set;
    }

    // What changes a view's set: a packet stored (the sequence), one marked corrupt or repaired, one retracted.
    private readonly record struct StoreStamp(long LastSeq, long Corrupt, long Retractions);
}
