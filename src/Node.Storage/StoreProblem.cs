namespace Node.Storage;

/// <summary>Why a store could not be opened.</summary>
public enum StoreProblem
{
    /// <summary><c>PRAGMA quick_check</c> found damage; restore from a backup.</summary>
    Corrupt,

    /// <summary>The schema is newer than this build.</summary>
    NewerSchema,

    /// <summary>The event log's hash chain does not verify.</summary>
    BrokenEventLog,

    /// <summary>Another process holds the store.</summary>
    Locked,

    /// <summary>The file cannot be read or is not a SQLite database.</summary>
    Unreadable,

    /// <summary>The store is missing or empty where one must exist (the node has an identity, so it has had a store).</summary>
    Missing,
}
