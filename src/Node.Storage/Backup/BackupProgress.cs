namespace Node.Storage.Backup;

/// <summary>How far a backup's copy has got.</summary>
/// <param name="PagesDone">Database pages copied.</param>
/// <param name="PagesTotal">Pages in the database.</param>
public readonly record struct BackupProgress(long PagesDone, long PagesTotal);
