// The identity rotation's log messages: one line per change, with the ids, never key material.
using Microsoft.Extensions.Logging;

namespace Node.Federation.Identity;

public sealed partial class IdentityRotation
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Key rotation asked for by {By}: node {Old} becomes {New} when it next starts; the statement is kept.")]
    private static partial void LogRequested(ILogger logger, NodeId old, NodeId @new, string by);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node identity rotated from {Old} to {New}; the old private key was destroyed. Peers carry their trust over when they accept the statement.")]
    private static partial void LogRotated(ILogger logger, string old, string @new);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The waiting key {Path} was destroyed and node {NodeId} keeps its id: {Reason}.")]
    private static partial void LogPendingDiscarded(ILogger logger, string path, NodeId nodeId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The rotation of {Old} to {New} was abandoned: its key {Path} is gone. It was never sent; rotate again if it is still wanted.")]
    private static partial void LogAbandoned(ILogger logger, string old, string @new, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The old identity key of {NodeId} is no longer named, but its bytes could not be overwritten: {Reason}.")]
    private static partial void LogOldKeyNotOverwritten(ILogger logger, NodeId nodeId, string reason);
}
