namespace Node.Storage.Writing;

/// <summary>
/// A write was not stored: its transaction did not commit. Nothing of it is in the store, and
/// nothing acknowledged earlier was lost.
/// </summary>
public sealed class StoreWriteException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StoreWriteException(string message, bool diskFull, Exception? innerException = null)
        : base(message, innerException)
    {
        IsDiskFull = diskFull;
    }

    /// <summary>Whether the disk (or its quota) is full: the write may succeed once space is freed.</summary>
    public bool IsDiskFull { get; }
}
