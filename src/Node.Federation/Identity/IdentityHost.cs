using Microsoft.Extensions.Logging;

namespace Node.Federation.Identity;

/// <summary>
/// The node's identity for as long as the node runs: loaded (or created, on the first start)
/// before the host is built, so every service that signs or announces has it from the start.
/// </summary>
public sealed partial class IdentityHost : IDisposable
{
    private IdentityHost(NodeIdentity identity, bool created, string directory, IReadOnlyList<byte[]> rotations, IReadOnlySet<string> formerIds)
    {
        FormerIds = formerIds;
        Identity = identity;
        Created = created;
        Directory = directory;
        Rotations = rotations;
    }

    /// <summary>The node's identity.</summary>
    public NodeIdentity Identity { get; }

    /// <summary>Whether the identity was made by this start (the first start of the node).</summary>
    public bool Created { get; }

    /// <summary>The state directory its key file is in.</summary>
    public string Directory { get; }

    /// <summary>
    /// The rotation statements (DSSE envelopes) from this node's older ids to its current one, oldest
    /// first, at most <see cref="IdentityRotation.MaxSent"/>: sent in Hello and HelloReply. Empty until
    /// <see cref="IdentityRotation.OpenAsync"/> has read them from the store, and for a node that never rotated.
    /// </summary>
    public IReadOnlyList<byte[]> Rotations { get; }

    /// <summary>Every id this node had before its key rotations (written form): packets authored under them are its own.</summary>
    public IReadOnlySet<string> FormerIds { get; }

    /// <summary>The node's current id, then every former one (written form).</summary>
    public IEnumerable<string> OwnIds => FormerIds.Prepend(Identity.Id.ToString());

    /// <summary>Whether <paramref name="nodeId"/> (written form) is this node: its current id, or one it rotated away from.</summary>
    public bool IsSelf(string nodeId) => nodeId == Identity.Id.ToString() || FormerIds.Contains(nodeId);

    /// <summary>Loads <c>identity.key</c> from <paramref name="directory"/>, creating it when missing, and logs which.</summary>
    /// <exception cref="IdentityException">The key file cannot be used; the message says why and what to do.</exception>
    public static IdentityHost LoadOrCreate(string directory, ILogger<IdentityHost> logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        var (identity, created) = NodeIdentity.LoadOrCreate(directory);
        var id = identity.Id.ToString();
        if (created)
        {
            LogCreated(logger, id, Path.Combine(directory, NodeIdentity.FileName));
        }
        else
        {
            LogLoaded(logger, id);
        }

        return new IdentityHost(identity, created, directory, [], new HashSet<string>(StringComparer.Ordinal));
    }

    /// <summary>The same directory and first-start flag with another identity (a rotation applied), the statements sent and the former ids.</summary>
    /// <remarks>Takes ownership of <paramref name="identity"/>; the caller disposes this host's identity when it is another one.</remarks>
    internal IdentityHost With(NodeIdentity identity, IReadOnlyList<byte[]> rotations, IEnumerable<string> formerIds) =>
        new(identity, Created, Directory, rotations, formerIds.ToHashSet(StringComparer.Ordinal));

    /// <summary>Whether <paramref name="directory"/> holds an identity key (a node that has started before).</summary>
    /// <remarks>Anything by that name counts (a directory, a FIFO): it is refused by <see cref="LoadOrCreate"/> before a store is made.</remarks>
    public static bool Exists(string directory) => Node.Storage.FileKinds.Of(Path.Combine(directory, NodeIdentity.FileName)) != Node.Storage.FileKind.Missing;

    /// <inheritdoc />
    public void Dispose() => Identity.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "New node identity {NodeId} created in {Path}; back this file up: peers know the node by it.")]
    private static partial void LogCreated(ILogger logger, string nodeId, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node identity {NodeId} loaded.")]
    private static partial void LogLoaded(ILogger logger, string nodeId);
}
