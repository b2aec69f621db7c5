using Node.Storage.Events.Payloads;
using Node.Storage.Internal;
using Node.Storage.Packets;
using Node.Storage.Writing;

namespace Node.Storage.Sync;

/// <summary>
/// Knowledge sync's writes, inside a write: cursors, retractions, quarantine, authors' keys. The
/// federation layer decides (who may retract what, where a peer's packet lands); this records it.
/// </summary>
public sealed class SyncTable : SyncQueries
{
    private readonly WriteContext _context;

    internal SyncTable(CommandCache commands, WriteContext context)
        : base(commands) => _context = context;

    /// <summary>Saves the cursor into a peer's store (replacing the one before).</summary>
    public void SaveCursor(SyncCursor cursor)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        Commands.Get("""
            INSERT INTO sync_cursors (peer, view_scope, epoch, seq, updated_at) VALUES ($peer, $scope, $epoch, $seq, $at)
            ON CONFLICT (peer) DO UPDATE SET view_scope = excluded.view_scope, epoch = excluded.epoch, seq = excluded.seq, updated_at = excluded.updated_at
            """).With("$peer", cursor.Peer).With("$scope", (int)cursor.ViewScope).With("$epoch", cursor.Epoch).With("$seq", cursor.Seq)
            .With("$at", cursor.UpdatedAt).ExecuteNonQuery();
    }

    /// <summary>Forgets the cursor into <paramref name="peer"/>'s store: the next round starts with a reconciliation.</summary>
    public void DropCursor(string peer) => Commands.Get("DELETE FROM sync_cursors WHERE peer = $peer").With("$peer", peer).ExecuteNonQuery();

    /// <summary>Records that <paramref name="author"/>'s retraction <paramref name="retraction"/> withdraws <paramref name="target"/>; kept for ever. False when recorded already.</summary>
    public bool RecordRetraction(byte[] target, string author, byte[] retraction)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentException.ThrowIfNullOrEmpty(author);
        ArgumentNullException.ThrowIfNull(retraction);
        return Commands.Get("INSERT OR IGNORE INTO retractions (target, author, retraction, at) VALUES ($target, $author, $retraction, $at)")
            .With("$target", target).With("$author", author).With("$retraction", retraction).With("$at", _context.Now).ExecuteNonQuery() > 0;
    }

    /// <summary>
    /// Removes the retracted packet <paramref name="target"/> wherever it is (stored, held or in
    /// quarantine), with its dependency edges, and appends <c>packet.retracted</c> when something was removed.
    /// </summary>
    /// <returns>Whether anything was removed.</returns>
    public bool RemoveRetracted(byte[] target, byte[] retraction, string author)
    {
        ArgumentNullException.ThrowIfNull(target);
        var seq = Commands.Get("DELETE FROM packets WHERE id = $id RETURNING seq").With("$id", target).Scalar() as long?;
        Commands.Get("DELETE FROM packet_dependencies WHERE packet_id = $id").With("$id", target).ExecuteNonQuery();
        var held = Commands.Get("DELETE FROM held_packets WHERE id = $id").With("$id", target).ExecuteNonQuery() > 0;
        Commands.Get("DELETE FROM held_missing WHERE id = $id").With("$id", target).ExecuteNonQuery();
        var quarantined = Commands.Get("DELETE FROM quarantine WHERE id = $id").With("$id", target).ExecuteNonQuery() > 0;
        if (seq is null && !held && !quarantined)
        {
            return false;
        }

        var from = seq is not null ? "store" : held ? "hold" : "quarantine";
        _context.AppendEvent(new PacketRetractedEvent(Convert.ToHexStringLower(target), Convert.ToHexStringLower(retraction), author, from, seq));
        return true;
    }

    /// <summary>Puts a verified packet from a sandbox peer into quarantine and appends <c>packet.quarantined</c>. False when it is there already.</summary>
    public bool Quarantine(byte[] id, byte[] envelope, string fromPeer, string reason)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentException.ThrowIfNullOrEmpty(fromPeer);
        if (Commands.Get("INSERT OR IGNORE INTO quarantine (id, envelope, from_peer, received_at, reason) VALUES ($id, $envelope, $from, $at, $reason)")
                .With("$id", id).With("$envelope", envelope).With("$from", fromPeer).With("$at", _context.Now).With("$reason", reason).ExecuteNonQuery() == 0)
        {
            return false;
        }

        _context.AppendEvent(new PacketQuarantinedEvent(Convert.ToHexStringLower(id), fromPeer, reason));
        return true;
    }

    /// <summary>Takes <paramref name="id"/> out of quarantine (to be stored by the caller in the same write); null when it is not there.</summary>
    public QuarantinedPacket? TakeFromQuarantine(byte[] id)
    {
        ArgumentNullException.ThrowIfNull(id);
        using var rows = Commands.Get("DELETE FROM quarantine WHERE id = $id RETURNING id, envelope, from_peer, received_at, reason").With("$id", id).ExecuteReader();
        return rows.Read() ? ReadQuarantined(rows) : null;
    }

    /// <summary>
    /// Rejects the quarantined packet <paramref name="id"/>: dropped, remembered so no peer brings it
    /// again, and <c>packet.rejected</c> appended. Returns what was dropped; null when it is not in quarantine.
    /// </summary>
    public QuarantinedPacket? Reject(byte[] id, string by, string? reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(by);
        if (TakeFromQuarantine(id) is not { } packet)
        {
            return null;
        }

        Commands.Get("INSERT OR IGNORE INTO rejected_packets (id, from_peer, rejected_at, rejected_by) VALUES ($id, $from, $at, $by)")
            .With("$id", id).With("$from", packet.FromPeer).With("$at", _context.Now).With("$by", by).ExecuteNonQuery();
        _context.AppendEvent(new PacketRejectedEvent(Convert.ToHexStringLower(id), packet.FromPeer, by, reason));
        return packet;
    }

    /// <summary>Records that <paramref name="id"/> left quarantine for the knowledge base on <paramref name="by"/>'s word, and appends <c>packet.promoted</c>.</summary>
    public void RecordPromotion(byte[] id, string fromPeer, string by, string? reason)
    {
        ArgumentNullException.ThrowIfNull(id);
        Commands.Get("INSERT OR IGNORE INTO promoted_packets (id, from_peer, promoted_at, promoted_by) VALUES ($id, $from, $at, $by)")
            .With("$id", id).With("$from", fromPeer).With("$at", _context.Now).With("$by", by).ExecuteNonQuery();
        _context.AppendEvent(new PacketPromotedEvent(Convert.ToHexStringLower(id), fromPeer, by, reason));
    }

    /// <summary>Records <paramref name="nodeId"/>'s public key (the caller checked that the id derives from it). False when known already.</summary>
    public bool AddAuthorKey(string nodeId, byte[] publicKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeId);
        ArgumentNullException.ThrowIfNull(publicKey);
        return Commands.Get("INSERT OR IGNORE INTO author_keys (node_id, public_key, first_seen) VALUES ($node, $key, $at)")
            .With("$node", nodeId).With("$key", publicKey).With("$at", _context.Now).ExecuteNonQuery() > 0;
    }

    /// <summary>Records the scope of a packet stored before scopes were (the start-up indexing).</summary>
    public void SetScope(long seq, PacketScope scope) =>
        Commands.Get("UPDATE packets SET scope = $scope WHERE seq = $seq AND scope IS NULL").With("$scope", (int)scope).With("$seq", seq).ExecuteNonQuery();

    /// <summary>Forgets the retractions a restore carried, once they went through the intake.</summary>
    public void ClearCarriedRetractions()
    {
        StoreInfo.Delete(Commands, Backup.CarriedRetractions.EnvelopesKey);
        StoreInfo.Delete(Commands, Backup.CarriedRetractions.KeysKey);
    }

    /// <summary>Switches automatic sync on or off for good (read at start) and appends <c>sync.auto_changed</c> when it changed.</summary>
    public void SetAutoSync(bool on, string by)
    {
        ArgumentException.ThrowIfNullOrEmpty(by);
        if (AutoSync() == on)
        {
            return;
        }

        StoreInfo.WriteFlag(Commands, StoreInfo.AutoSync, on);
        _context.AppendEvent(new SyncAutoChangedEvent(on, by));
    }
}
