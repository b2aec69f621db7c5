using Node.Federation.Identity;

namespace Node.Federation.Sync;

/// <summary>Opens a way to a peer's sync methods for one round.</summary>
public interface ISyncChannels
{
    /// <summary>The peer's sync methods, and what to dispose after the round (null when nothing).</summary>
    public Task<(ISyncPeer Peer, IDisposable? Owned)> OpenAsync(NodeId peer, CancellationToken cancellationToken);
}
