using Microsoft.Data.Sqlite;
using Node.Storage.Internal;

namespace Node.Storage.Peers;

/// <summary>
/// Reads what registered peers said of themselves: their newest manifests (<c>peer_manifests</c>),
/// the key rotations accepted (<c>peer_rotations</c>) and the competing ones refused
/// (<c>peer_rotation_conflicts</c>).
/// </summary>
public class PeerManifestQueries
{
    internal PeerManifestQueries(CommandCache commands) => Commands = commands;

    private protected CommandCache Commands { get; }

    /// <summary>Every stored manifest, by node id.</summary>
    public IReadOnlyList<PeerManifestRow> Manifests() => ReadManifests(Commands.Get(
        "SELECT node_id, envelope, issued_at, cert_sha256, seen_at FROM peer_manifests ORDER BY node_id"));

    /// <summary>The stored manifest of <paramref name="nodeId"/>, or null.</summary>
    public PeerManifestRow? Manifest(string nodeId) => ReadManifests(Commands.Get(
        "SELECT node_id, envelope, issued_at, cert_sha256, seen_at FROM peer_manifests WHERE node_id = $node").With("$node", nodeId)) is [var row] ? row : null;

    /// <summary>Every accepted rotation, oldest first.</summary>
    public IReadOnlyList<PeerRotationRow> Rotations() => ReadRotations(Commands.Get(
        "SELECT old_id, new_id, statement, accepted_at FROM peer_rotations ORDER BY accepted_at, old_id"));

    /// <summary>The accepted rotation of <paramref name="oldId"/>, or null.</summary>
    public PeerRotationRow? Rotation(string oldId) => ReadRotations(Commands.Get(
        "SELECT old_id, new_id, statement, accepted_at FROM peer_rotations WHERE old_id = $old").With("$old", oldId)) is [var row] ? row : null;

    /// <summary>Every competing rotation refused, oldest first.</summary>
    public IReadOnlyList<PeerRotationRow> RotationConflicts() => ReadRotations(Commands.Get(
        "SELECT old_id, new_id, statement, seen_at FROM peer_rotation_conflicts ORDER BY seen_at, old_id, new_id"));

    private static List<PeerManifestRow> ReadManifests(SqliteCommand command)
    {
        var manifests = new List<PeerManifestRow>();
        using var rows = command.ExecuteReader();
        while (rows.Read())
        {
            // GetFieldValue, not a cast: a value stored as text by hand reads as its bytes (and then fails to verify), never as an exception.
            manifests.Add(new PeerManifestRow(rows.GetString(0), rows.GetFieldValue<byte[]>(1), rows.GetInt64(2), rows.GetFieldValue<byte[]>(3), rows.GetInt64(4)));
        }

        return manifests;
    }

    private static List<PeerRotationRow> ReadRotations(SqliteCommand command)
    {
        var rotations = new List<PeerRotationRow>();
        using var rows = command.ExecuteReader();
        while (rows.Read())
        {
            rotations.Add(new PeerRotationRow(rows.GetString(0), rows.GetString(1), rows.GetFieldValue<byte[]>(2), rows.GetInt64(3)));
        }

        return rotations;
    }
}
