using Node.Storage.Internal;

namespace Node.Storage.Peers;

/// <summary>Reads the peers the node knows (<c>peers</c>) and the static addresses an operator added (<c>static_peers</c>).</summary>
public class PeerQueries
{
    internal PeerQueries(CommandCache commands) => Commands = commands;

    private protected CommandCache Commands { get; }

    /// <summary>Every peer: registered ones, then static addresses whose node id is not known yet.</summary>
    public IReadOnlyList<PeerRow> List()
    {
        var command = Commands.Get("""
            SELECT p.node_id, coalesce(p.name, ''), p.tier, coalesce(p.addresses, ''), p.source, p.first_seen, p.last_seen,
                   (SELECT group_concat(address, char(10)) FROM static_peers WHERE node_id = p.node_id)
            FROM peers p
            UNION ALL
            SELECT '', coalesce(name, ''), 'unknown', address, 'static', added_at, 0, NULL
            FROM static_peers WHERE node_id IS NULL OR node_id NOT IN (SELECT node_id FROM peers)
            ORDER BY 1, 4
            """);
        var peers = new List<PeerRow>();
        using var rows = command.ExecuteReader();
        while (rows.Read())
        {
            var addresses = rows.GetString(3).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Concat(rows.IsDBNull(7) ? [] : rows.GetString(7).Split('\n', StringSplitOptions.RemoveEmptyEntries))
                .Distinct(StringComparer.Ordinal).ToList();
            peers.Add(new PeerRow(rows.GetString(0), rows.GetString(1), rows.GetString(2), addresses, rows.GetString(4), rows.GetInt64(5), rows.GetInt64(6)));
        }

        return peers;
    }

    /// <summary>
    /// The public keys recorded for peers (from manifests that verified), by node id; peers with
    /// none are left out. None from a backup of schema 1, which had no peers.
    /// </summary>
    public IReadOnlyList<(string NodeId, byte[] PublicKey)> PublicKeys()
    {
        var keys = new List<(string, byte[])>();
        if ((long)Commands.Get("PRAGMA user_version").ExecuteScalar()! < 2)
        {
            return keys;
        }

        using var rows = Commands.Get("SELECT node_id, public_key FROM peers WHERE public_key IS NOT NULL").ExecuteReader();
        while (rows.Read())
        {
            keys.Add((rows.GetString(0), (byte[])rows[1]));
        }

        return keys;
    }

    /// <summary>The stored tier of peer <paramref name="nodeId"/>, or null when no peer has that id.</summary>
    public string? TierOf(string nodeId) => Commands.Get("SELECT tier FROM peers WHERE node_id = $node").With("$node", nodeId).Scalar() as string;

    /// <summary>The id peer <paramref name="nodeId"/> rotated to, or null when it is current (or unknown).</summary>
    public string? RetiredTo(string nodeId) =>
        Commands.Get("SELECT retired_to FROM peers WHERE node_id = $node").With("$node", nodeId).Scalar() as string;

    /// <summary>Every retired peer and the id it rotated to.</summary>
    public IReadOnlyList<(string NodeId, string RetiredTo)> Retirements()
    {
        var retired = new List<(string, string)>();
        using var rows = Commands.Get("SELECT node_id, retired_to FROM peers WHERE retired_to IS NOT NULL ORDER BY node_id").ExecuteReader();
        while (rows.Read())
        {
            retired.Add((rows.GetString(0), rows.GetString(1)));
        }

        return retired;
    }

    /// <summary>The addresses recorded for peer <paramref name="nodeId"/> (newline-separated, as stored), or null when no peer has that id.</summary>
    public string? AddressesOf(string nodeId) =>
        Commands.Get("SELECT coalesce(addresses, '') FROM peers WHERE node_id = $node").With("$node", nodeId).Scalar() as string;
}
