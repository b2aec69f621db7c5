// The manifest book's log messages.
using Microsoft.Extensions.Logging;

namespace Node.Federation.Identity;

public sealed partial class ManifestBook
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "The stored manifest of peer {Node} no longer verifies; it is ignored, and the peer's next manifest replaces it.")]
    private static partial void LogStoredManifestSkipped(ILogger logger, string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} peer manifests could not be written to the store; they are kept in memory until the next restart.")]
    private static partial void LogPersistFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Peer {Old} rotated its key to {New}, which is now '{Tier}' here; the old id is retired.")]
    private static partial void LogRotated(ILogger logger, NodeId old, NodeId @new, string tier);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A competing key rotation of peer {Old} to {Competing} was refused: it rotated to {Recorded} before, and either may be genuine. " +
        "{Demoted} is now 'unknown' (was '{From}') until an operator decides: set its tier again (nodectl peers trust) if the first rotation was the genuine one.")]
    private static partial void LogRotationConflict(ILogger logger, NodeId old, NodeId competing, NodeId recorded, NodeId demoted, string from);
}
