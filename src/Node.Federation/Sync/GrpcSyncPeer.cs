using Grpc.Core;
using Node.Federation.Link.Client;
using Node.Protocol.Peer;

namespace Node.Federation.Sync;

/// <summary>A peer's sync methods over the peer link (TLS gRPC), each call with a deadline.</summary>
public sealed class GrpcSyncPeer(PeerChannel channel, TimeProvider time) : ISyncPeer
{
    /// <summary>The longest one sync call may take: a page of 1 MiB on a slow LAN, with room.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);

    /// <inheritdoc />
    public async Task<CatchUpReply> CatchUpAsync(CatchUpRequest request, CancellationToken cancellationToken) =>
        await channel.Client.CatchUpAsync(request, Options(cancellationToken)).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<ReconcileReply> ReconcileAsync(ReconcileRequest request, CancellationToken cancellationToken) =>
        await channel.Client.ReconcileAsync(request, Options(cancellationToken)).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<FetchReply> FetchAsync(FetchRequest request, CancellationToken cancellationToken) =>
        await channel.Client.FetchAsync(request, Options(cancellationToken)).ConfigureAwait(false);

    private CallOptions Options(CancellationToken cancellationToken) =>
        new(deadline: (time.GetUtcNow() + CallTimeout).UtcDateTime, cancellationToken: cancellationToken);
}
