using Node.Storage.Packets;

namespace Node.Storage.Backup;

/// <summary>What <see cref="StoreBackup.Restore"/> did.</summary>
/// <param name="Restored">The backup restored.</param>
/// <param name="ReplacedFile">Where the replaced database was kept; null when there was none.</param>
/// <param name="Packets">What verifying the backup's packets found; any corrupt ones were restored marked corrupt.</param>
/// <param name="CarriedRetractions">Retraction packets the replaced store held and the backup lacks: applied at the next start.</param>
/// <param name="CarryProblem">Why the replaced store's retractions could not be read, or null.</param>
public sealed record RestoreResult(BackupInfo Restored, string? ReplacedFile, PacketScan Packets, int CarriedRetractions = 0, string? CarryProblem = null);
