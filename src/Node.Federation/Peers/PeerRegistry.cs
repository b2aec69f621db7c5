using Microsoft.Data.Sqlite;
using Node.Federation.Identity;
using Node.Federation.Trust;
using Node.Storage;
using Node.Storage.Events;

namespace Node.Federation.Peers;

/// <summary>
/// The peers the node knows (table <c>peers</c>: discovered or registered, with their trust tier)
/// and the static addresses an operator added (<c>static_peers</c>). Every change is an event.
/// </summary>
public sealed class PeerRegistry(NodeStore store)
{
    /// <summary>Every peer: registered ones, then static addresses whose node id is not known yet.</summary>
    public IReadOnlyList<PeerEntry> List()
    {
        using var reader = store.OpenReader();
        using var command = reader.CreateCommand();
        command.CommandText = """
            SELECT p.node_id, coalesce(p.name, ''), p.tier, coalesce(p.addresses, ''), p.source, p.first_seen, p.last_seen,
                   (SELECT group_concat(address, char(10)) FROM static_peers WHERE node_id = p.node_id)
            FROM peers p
            UNION ALL
            SELECT '', coalesce(name, ''), 'unknown', address, 'static', added_at, 0, NULL
            FROM static_peers WHERE node_id IS NULL OR node_id NOT IN (SELECT node_id FROM peers)
            ORDER BY 1, 4
            """;
        var peers = new List<PeerEntry>();
        using var rows = command.ExecuteReader();
        while (rows.Read())
        {
            var addresses = rows.GetString(3).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Concat(rows.IsDBNull(7) ? [] : rows.GetString(7).Split('\n', StringSplitOptions.RemoveEmptyEntries))
                .Distinct(StringComparer.Ordinal).ToList();
            peers.Add(new PeerEntry(rows.GetString(0), rows.GetString(1), ParseTier(rows.GetString(2)), addresses, rows.GetString(4),
                rows.GetInt64(5), rows.GetInt64(6)));
        }

        return peers;
    }

    /// <summary>
    /// Adds a static peer at <paramref name="address"/> (already normalized by <see cref="PeerAddress"/>);
    /// with <paramref name="nodeId"/> the peer is registered at once, tier unknown. Adding the same
    /// address again updates its id and name.
    /// </summary>
    public async Task<PeerEntry> AddStaticAsync(string address, NodeId? nodeId, string? name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        var id = nodeId?.ToString();
        await store.Writer.WriteAsync(context =>
        {
            var upsert = context.Command("""
                INSERT INTO static_peers (address, node_id, name, added_at) VALUES ($address, $node, $name, $now)
                ON CONFLICT (address) DO UPDATE SET node_id = coalesce(excluded.node_id, node_id), name = coalesce(excluded.name, name)
                """);
            upsert.Parameters.AddWithValue("$address", address);
            upsert.Parameters.AddWithValue("$node", (object?)id ?? DBNull.Value);
            upsert.Parameters.AddWithValue("$name", (object?)name ?? DBNull.Value);
            upsert.Parameters.AddWithValue("$now", context.Now);
            upsert.ExecuteNonQuery();

            if (id is not null)
            {
                var register = context.Command("""
                    INSERT INTO peers (node_id, name, tier, addresses, source, first_seen, last_seen) VALUES ($node, $name, 'unknown', NULL, 'static', $now, 0)
                    ON CONFLICT (node_id) DO UPDATE SET name = coalesce(excluded.name, name)
                    """);
                register.Parameters.AddWithValue("$node", id);
                register.Parameters.AddWithValue("$name", (object?)name ?? DBNull.Value);
                register.Parameters.AddWithValue("$now", context.Now);
                register.ExecuteNonQuery();
            }

            context.AppendEvent(EventKinds.PeerAdded, EventPayload.Of(("address", address), ("node", id)));
        }, cancellationToken).ConfigureAwait(false);
        return List().First(p => id is not null ? p.NodeId == id : p.Addresses.Contains(address));
    }

    /// <summary>
    /// Records a peer mDNS found at <paramref name="addresses"/> (<c>host:port</c> forms). A new peer is
    /// registered (tier unknown, source <c>mdns</c>; event <c>peer.discovered</c>); a known one keeps its
    /// tier, source and name and gets the addresses and last-seen time (event <c>peer.changed</c> only
    /// when the addresses changed).
    /// </summary>
    /// <param name="nodeId">The node id its TXT record gave.</param>
    /// <param name="name">A name for a new peer (the name its TXT gives, else its mDNS host name); a known peer's name is kept.</param>
    /// <param name="addresses">Where it answered, in the order to try.</param>
    /// <param name="cancellationToken">Gives up waiting for the writer.</param>
    public async Task<PeerEntry> RecordDiscoveredAsync(NodeId nodeId, string name, IReadOnlyList<string> addresses,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(addresses);
        ArgumentOutOfRangeException.ThrowIfEqual(nodeId.IsEmpty, true, nameof(nodeId));
        var id = nodeId.ToString();
        var joined = string.Join('\n', addresses);
        await store.Writer.WriteAsync(context =>
        {
            var current = context.Command("SELECT coalesce(addresses, '') FROM peers WHERE node_id = $node");
            current.Parameters.AddWithValue("$node", id);
            var before = current.ExecuteScalar() as string;

            if (before is null)
            {
                var insert = context.Command("""
                    INSERT INTO peers (node_id, name, tier, addresses, source, first_seen, last_seen)
                    VALUES ($node, $name, 'unknown', $addresses, 'mdns', $now, $now)
                    """);
                insert.Parameters.AddWithValue("$node", id);
                insert.Parameters.AddWithValue("$name", name.Length > 0 ? name : DBNull.Value);
                insert.Parameters.AddWithValue("$addresses", joined);
                insert.Parameters.AddWithValue("$now", context.Now);
                insert.ExecuteNonQuery();
                context.AppendEvent(EventKinds.PeerDiscovered, EventPayload.Of(("node", id), ("addresses", addresses)));
                return;
            }

            var update = context.Command("""
                UPDATE peers SET addresses = $addresses, last_seen = $now, name = coalesce(nullif(name, ''), $name) WHERE node_id = $node
                """);
            update.Parameters.AddWithValue("$node", id);
            update.Parameters.AddWithValue("$name", name.Length > 0 ? name : DBNull.Value);
            update.Parameters.AddWithValue("$addresses", joined);
            update.Parameters.AddWithValue("$now", context.Now);
            update.ExecuteNonQuery();
            if (!string.Equals(before, joined, StringComparison.Ordinal))
            {
                context.AppendEvent(EventKinds.PeerChanged, EventPayload.Of(("node", id), ("addresses", addresses)));
            }
        }, cancellationToken).ConfigureAwait(false);
        return List().First(p => p.NodeId == id);
    }

    /// <summary>
    /// Records that a peer mDNS had found is gone (goodbye or expired records): event <c>peer.lost</c>.
    /// The peer stays known. False, with nothing recorded, when no peer has that id.
    /// </summary>
    public Task<bool> RecordLostAsync(NodeId nodeId, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfEqual(nodeId.IsEmpty, true, nameof(nodeId));
        var id = nodeId.ToString();
        return store.Writer.WriteAsync(context =>
        {
            var known = context.Command("SELECT count(*) FROM peers WHERE node_id = $node");
            known.Parameters.AddWithValue("$node", id);
            if (Convert.ToInt64(known.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0)
            {
                return false;
            }

            context.AppendEvent(EventKinds.PeerLost, EventPayload.Of(("node", id)));
            return true;
        }, cancellationToken);
    }

    /// <summary>Sets the trust tier of a registered peer; null when no peer has that id.</summary>
    public async Task<PeerEntry?> SetTrustAsync(NodeId nodeId, TrustTier tier, string reason, string by, CancellationToken cancellationToken = default)
    {
        var id = nodeId.ToString();
        var changed = await store.Writer.WriteAsync(context =>
        {
            var current = context.Command("SELECT tier FROM peers WHERE node_id = $node");
            current.Parameters.AddWithValue("$node", id);
            var from = current.ExecuteScalar() as string;

            if (from is null)
            {
                return false;
            }

            var update = context.Command("UPDATE peers SET tier = $tier WHERE node_id = $node");
            update.Parameters.AddWithValue("$tier", TierName(tier));
            update.Parameters.AddWithValue("$node", id);
            update.ExecuteNonQuery();
            context.AppendEvent(EventKinds.PeerTrustChanged,
                EventPayload.Of(("node", id), ("from", from), ("to", TierName(tier)), ("by", by), ("reason", reason)));
            return true;
        }, cancellationToken).ConfigureAwait(false);
        return changed ? List().First(p => p.NodeId == id) : null;
    }

    /// <summary>Forgets a peer by node id (and its static addresses) or a static address; returns how many entries went.</summary>
    public Task<int> ForgetAsync(NodeId? nodeId, string? address, CancellationToken cancellationToken = default)
    {
        var id = nodeId?.ToString();
        return store.Writer.WriteAsync(context =>
        {
            var removed = 0;
            if (id is not null)
            {
                removed += Delete(context.Command("DELETE FROM peers WHERE node_id = $v"), id);
                removed += Delete(context.Command("DELETE FROM static_peers WHERE node_id = $v"), id);
            }

            if (address is not null)
            {
                removed += Delete(context.Command("DELETE FROM static_peers WHERE address = $v"), address);
            }

            if (removed > 0)
            {
                context.AppendEvent(EventKinds.PeerForgotten, EventPayload.Of(("node", id), ("address", address)));
            }

            return removed;
        }, cancellationToken);
    }

    /// <summary>The tier's name as stored.</summary>
    public static string TierName(TrustTier tier) => tier switch
    {
        TrustTier.Core => "core",
        TrustTier.Sandbox => "sandbox",
        TrustTier.External => "external",
        _ => "unknown",
    };

    private static TrustTier ParseTier(string name) => name switch
    {
        "core" => TrustTier.Core,
        "sandbox" => TrustTier.Sandbox,
        "external" => TrustTier.External,
        _ => TrustTier.Unknown,
    };

    // The writer's commands are cached and reused: not disposed here.
    private static int Delete(SqliteCommand command, string value)
    {
        command.Parameters.AddWithValue("$v", value);
        return command.ExecuteNonQuery();
    }
}
