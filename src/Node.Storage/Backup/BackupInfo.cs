namespace Node.Storage.Backup;

/// <summary>What a backup holds, recorded inside it (table <c>backup_info</c>) so a restore can be checked.</summary>
/// <param name="Path">The backup file.</param>
/// <param name="CreatedAt">When it was made, Unix milliseconds.</param>
/// <param name="SchemaVersion">Its schema version.</param>
/// <param name="EventHeadSeq">The last event-log entry it holds.</param>
/// <param name="EventHeadHash">That entry's hash: the restored log must end with it.</param>
/// <param name="Packets">How many packets it holds.</param>
/// <param name="Bytes">Its size on disk.</param>
public sealed record BackupInfo(string Path, long CreatedAt, int SchemaVersion, long EventHeadSeq, byte[] EventHeadHash, long Packets, long Bytes)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"backup {Path}: schema {SchemaVersion}, {Packets} packets, event log head {EventHeadSeq} {Convert.ToHexStringLower(EventHeadHash)}, {Bytes} bytes";
}
