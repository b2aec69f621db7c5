using Node.Storage.Internal;

namespace Node.Storage.Identity;

/// <summary>
/// This node's own key rotations, inside a write. The identity code above it decides when a
/// rotation is asked for, applied or abandoned, and which event records it.
/// </summary>
public sealed class OwnRotationTable : OwnRotationQueries
{
    internal OwnRotationTable(CommandCache commands)
        : base(commands)
    {
    }

    /// <summary>Records a rotation asked for (not applied yet); false (nothing changed) when one from its old id, or to its new id, is recorded already.</summary>
    public bool Insert(OwnRotationRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return Commands.Get("INSERT OR IGNORE INTO own_rotations (old_id, new_id, statement, created_at, applied_at) VALUES ($old, $new, $statement, $at, $applied)")
            .With("$old", row.OldId).With("$new", row.NewId).With("$statement", row.Statement).With("$at", row.CreatedAt)
            .With("$applied", row.AppliedAt).ExecuteNonQuery() > 0;
    }

    /// <summary>Marks the rotation to <paramref name="newId"/> applied at <paramref name="at"/> (Unix ms); false when there is none waiting.</summary>
    public bool MarkApplied(string newId, long at) =>
        Commands.Get("UPDATE own_rotations SET applied_at = $at WHERE new_id = $new AND applied_at IS NULL")
            .With("$new", newId).With("$at", at).ExecuteNonQuery() > 0;

    /// <summary>Removes the rotation from <paramref name="oldId"/> when it was never applied (its new key is gone); false when there is none such.</summary>
    public bool DeleteUnapplied(string oldId) =>
        Commands.Get("DELETE FROM own_rotations WHERE old_id = $old AND applied_at IS NULL").With("$old", oldId).ExecuteNonQuery() > 0;
}
