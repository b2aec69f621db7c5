using Node.Protocol.Peer;

namespace Node.Federation.Sync;

/// <summary>
/// The calling side's way to one peer's sync methods: the peer link's gRPC channel, or an in-memory
/// network with virtual time. A failure is an exception (an <see cref="Grpc.Core.RpcException"/>
/// from the peer, or the transport's own); the round that made the call ends with it.
/// </summary>
public interface ISyncPeer
{
    /// <summary>One page of the peer's store after our cursor.</summary>
    public Task<CatchUpReply> CatchUpAsync(CatchUpRequest request, CancellationToken cancellationToken);

    /// <summary>One round of set reconciliation.</summary>
    public Task<ReconcileReply> ReconcileAsync(ReconcileRequest request, CancellationToken cancellationToken);

    /// <summary>Packets by id.</summary>
    public Task<FetchReply> FetchAsync(FetchRequest request, CancellationToken cancellationToken);
}
