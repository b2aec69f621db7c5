namespace Node.Federation.Sync;

/// <summary>A peer's sync reply broke the protocol (a page out of range, a reconciliation that does not end): the round ends, the peer's packets taken so far stay.</summary>
public sealed class SyncProtocolException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SyncProtocolException()
    {
    }

    /// <summary>Creates the exception with what was wrong.</summary>
    public SyncProtocolException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with what was wrong and its cause.</summary>
    public SyncProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
