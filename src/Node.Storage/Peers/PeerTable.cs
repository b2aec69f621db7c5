using Node.Storage.Internal;

namespace Node.Storage.Peers;

/// <summary>The peers, inside a write. The registry above it decides what changes and which event records it.</summary>
public sealed class PeerTable : PeerQueries
{
    internal PeerTable(CommandCache commands)
        : base(commands)
    {
    }

    /// <summary>Adds a static address, or updates its node id and name (a given value wins, a missing one keeps what is there).</summary>
    public void UpsertStatic(string address, string? nodeId, string? name, long now) =>
        Commands.Get("""
            INSERT INTO static_peers (address, node_id, name, added_at) VALUES ($address, $node, $name, $now)
            ON CONFLICT (address) DO UPDATE SET node_id = coalesce(excluded.node_id, node_id), name = coalesce(excluded.name, name)
            """).With("$address", address).With("$node", nodeId).With("$name", name).With("$now", now).ExecuteNonQuery();

    /// <summary>Registers a peer added by hand (tier unknown, never seen), or gives a known one the name.</summary>
    public void RegisterStatic(string nodeId, string? name, long now) =>
        Commands.Get("""
            INSERT INTO peers (node_id, name, tier, addresses, source, first_seen, last_seen) VALUES ($node, $name, 'unknown', NULL, 'static', $now, 0)
            ON CONFLICT (node_id) DO UPDATE SET name = coalesce(excluded.name, name)
            """).With("$node", nodeId).With("$name", name).With("$now", now).ExecuteNonQuery();

    /// <summary>Registers a peer mDNS found (tier unknown), seen now at <paramref name="addresses"/>.</summary>
    public void InsertDiscovered(string nodeId, string? name, IReadOnlyList<string> addresses, long now) =>
        Commands.Get("""
            INSERT INTO peers (node_id, name, tier, addresses, source, first_seen, last_seen)
            VALUES ($node, $name, 'unknown', $addresses, 'mdns', $now, $now)
            """).With("$node", nodeId).With("$name", string.IsNullOrEmpty(name) ? null : name).With("$addresses", string.Join('\n', addresses))
            .With("$now", now).ExecuteNonQuery();

    /// <summary>Records a known peer seen now at <paramref name="addresses"/>; a name is set only where it had none.</summary>
    public void UpdateSeen(string nodeId, string? name, IReadOnlyList<string> addresses, long now) =>
        Commands.Get("UPDATE peers SET addresses = $addresses, last_seen = $now, name = coalesce(nullif(name, ''), $name) WHERE node_id = $node")
            .With("$node", nodeId).With("$name", string.IsNullOrEmpty(name) ? null : name).With("$addresses", string.Join('\n', addresses))
            .With("$now", now).ExecuteNonQuery();

    /// <summary>Sets the stored tier of peer <paramref name="nodeId"/> (core, sandbox, external or unknown).</summary>
    public void SetTier(string nodeId, string tier) =>
        Commands.Get("UPDATE peers SET tier = $tier WHERE node_id = $node").With("$tier", tier).With("$node", nodeId).ExecuteNonQuery();

    /// <summary>
    /// Removes peer <paramref name="nodeId"/> and the static addresses given for it; returns how many
    /// of those rows went. Its stored manifest goes too (not counted); accepted rotations are kept.
    /// </summary>
    public int Delete(string nodeId)
    {
        Commands.Get("DELETE FROM peer_manifests WHERE node_id = $node").With("$node", nodeId).ExecuteNonQuery();
        return Commands.Get("DELETE FROM peers WHERE node_id = $node").With("$node", nodeId).ExecuteNonQuery()
            + Commands.Get("DELETE FROM static_peers WHERE node_id = $node").With("$node", nodeId).ExecuteNonQuery();
    }

    /// <summary>Records the Ed25519 key of peer <paramref name="nodeId"/> (from a manifest that verified) where none is recorded.</summary>
    public void SetPublicKey(string nodeId, byte[] publicKey) =>
        Commands.Get("UPDATE peers SET public_key = $key WHERE node_id = $node AND public_key IS NULL")
            .With("$key", publicKey).With("$node", nodeId).ExecuteNonQuery();

    /// <summary>
    /// Registers <paramref name="newId"/> as the successor of peer <paramref name="oldId"/> with
    /// <paramref name="tier"/>: a new row takes the old one's name, addresses, source and last-seen
    /// time; a known one gets the tier. The old id's static addresses now name the new id.
    /// </summary>
    public void RegisterSuccessor(string oldId, string newId, string tier, long now)
    {
        Commands.Get("""
            INSERT INTO peers (node_id, name, tier, addresses, source, first_seen, last_seen)
            SELECT $new, name, $tier, addresses, source, $now, last_seen FROM peers WHERE node_id = $old
            ON CONFLICT (node_id) DO UPDATE SET tier = excluded.tier
            """).With("$old", oldId).With("$new", newId).With("$tier", tier).With("$now", now).ExecuteNonQuery();
        Commands.Get("UPDATE static_peers SET node_id = $new WHERE node_id = $old").With("$old", oldId).With("$new", newId).ExecuteNonQuery();
    }

    /// <summary>
    /// Marks peer <paramref name="oldId"/> retired (rotated to <paramref name="newId"/>), sets its tier
    /// to unknown and removes its stored manifest (a retired id's manifests are never used again).
    /// </summary>
    public void Retire(string oldId, string newId)
    {
        Commands.Get("UPDATE peers SET retired_to = $new, tier = 'unknown' WHERE node_id = $old").With("$old", oldId).With("$new", newId).ExecuteNonQuery();
        Commands.Get("DELETE FROM peer_manifests WHERE node_id = $old").With("$old", oldId).ExecuteNonQuery();
    }

    /// <summary>Removes the static address <paramref name="address"/>; returns how many rows went.</summary>
    public int DeleteStatic(string address) =>
        Commands.Get("DELETE FROM static_peers WHERE address = $address").With("$address", address).ExecuteNonQuery();
}
