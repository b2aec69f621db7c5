using Microsoft.Data.Sqlite;
using Node.Storage.Internal;

namespace Node.Storage.Identity;

/// <summary>Reads this node's own key rotations (<c>own_rotations</c>).</summary>
public class OwnRotationQueries
{
    internal OwnRotationQueries(CommandCache commands) => Commands = commands;

    private protected CommandCache Commands { get; }

    /// <summary>Every rotation, oldest first.</summary>
    public IReadOnlyList<OwnRotationRow> All() => Read(Commands.Get(
        "SELECT old_id, new_id, statement, created_at, applied_at FROM own_rotations ORDER BY created_at, old_id"));

    /// <summary>The rotation from <paramref name="oldId"/>, or null.</summary>
    public OwnRotationRow? From(string oldId) => Read(Commands.Get(
        "SELECT old_id, new_id, statement, created_at, applied_at FROM own_rotations WHERE old_id = $old").With("$old", oldId)) is [var row] ? row : null;

    private static List<OwnRotationRow> Read(SqliteCommand command)
    {
        var rotations = new List<OwnRotationRow>();
        using var rows = command.ExecuteReader();
        while (rows.Read())
        {
            rotations.Add(new OwnRotationRow(rows.GetString(0), rows.GetString(1), rows.GetFieldValue<byte[]>(2), rows.GetInt64(3),
                rows.IsDBNull(4) ? null : rows.GetInt64(4)));
        }

        return rotations;
    }
}
