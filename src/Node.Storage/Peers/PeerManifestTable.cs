using Node.Storage.Internal;

namespace Node.Storage.Peers;

/// <summary>
/// Peers' manifests and key rotations, inside a write. The manifest book above it decides what is
/// kept (freshness, registration, which rotation stands) and which event records it.
/// </summary>
public sealed class PeerManifestTable : PeerManifestQueries
{
    internal PeerManifestTable(CommandCache commands)
        : base(commands)
    {
    }

    /// <summary>
    /// Stores <paramref name="row"/> as the manifest of its node unless one issued at the same time
    /// or later is stored already. True when it was stored.
    /// </summary>
    public bool Store(PeerManifestRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return Commands.Get("""
            INSERT INTO peer_manifests (node_id, envelope, issued_at, cert_sha256, seen_at) VALUES ($node, $envelope, $issued, $cert, $seen)
            ON CONFLICT (node_id) DO UPDATE SET envelope = excluded.envelope, issued_at = excluded.issued_at,
                cert_sha256 = excluded.cert_sha256, seen_at = excluded.seen_at
            WHERE excluded.issued_at > peer_manifests.issued_at
            """).With("$node", row.NodeId).With("$envelope", row.Envelope).With("$issued", row.IssuedAt).With("$cert", row.CertificateSha256)
            .With("$seen", row.SeenAt).ExecuteNonQuery() > 0;
    }

    /// <summary>Records an accepted rotation; false (nothing changed) when one is recorded for its old id already.</summary>
    public bool InsertRotation(PeerRotationRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return Commands.Get("INSERT OR IGNORE INTO peer_rotations (old_id, new_id, statement, accepted_at) VALUES ($old, $new, $statement, $at)")
            .With("$old", row.OldId).With("$new", row.NewId).With("$statement", row.Statement).With("$at", row.At).ExecuteNonQuery() > 0;
    }

    /// <summary>Records a competing rotation refused; false (nothing changed) when that old id to that new id was recorded already.</summary>
    public bool InsertRotationConflict(PeerRotationRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return Commands.Get("INSERT OR IGNORE INTO peer_rotation_conflicts (old_id, new_id, statement, seen_at) VALUES ($old, $new, $statement, $at)")
            .With("$old", row.OldId).With("$new", row.NewId).With("$statement", row.Statement).With("$at", row.At).ExecuteNonQuery() > 0;
    }
}
