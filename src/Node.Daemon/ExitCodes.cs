namespace Node.Daemon;

/// <summary>The process exit codes of <c>sovereign-node</c>; documented in docs/operator-manual.md.</summary>
public static class ExitCodes
{
    /// <summary>Ran and stopped cleanly, or printed help or version.</summary>
    public const int Ok = 0;

    /// <summary>Failed while starting or running (state directory unusable, an unexpected fault).</summary>
    public const int Failure = 1;

    /// <summary>A usage or configuration error: a wrong flag, a bad value, a broken config file. Fix the input; restarting will not help.</summary>
    public const int ConfigError = 2;

    /// <summary>The node's state cannot be used: the store is damaged, from a newer version, its event log broken or in use by another process; or the identity key is unreadable, malformed or readable by others; or a file the node opens at start (key, store, lock, log, API socket path) is a FIFO, directory, socket or device. Restarting will not help; the message says what will.</summary>
    public const int StateUnusable = 3;
}
