using System.Text;
using Google.Protobuf;
using Grpc.Core;
using Node.Federation.Identity;
using Node.Federation.Peers;
using Node.Federation.Sync;
using Node.Federation.Trust;
using Node.Protocol.Peer;
using Node.Storage;

namespace Node.Federation.Link.Server;

/// <summary>
/// The peer protocol's server side (<c>sovereign.peer.v1.PeerService</c>), whatever carries it (TLS
/// gRPC on the peer port, an in-memory network in tests). It trusts nothing the caller says about
/// itself: the transport hands it, per call, the hash of the certificate the caller proved it holds
/// (<see cref="CertificateKey"/>) and the call the gate admitted (<see cref="CallKey"/>), both in
/// <see cref="ServerCallContext.UserState"/>. A call the gate did not admit never gets here.
/// </summary>
public sealed partial class PeerLinkService(LocalManifest local, ManifestBook manifests, PeerRegistry peers, KnowledgeSlots slots, NodeStore store,
    PeerRefusals refusals, InboundLinks links, Func<PeerLinks> linkStates, TimeProvider time, PeerLinkServerOptions options, SyncServer sync, SyncBook book, SyncBeacon beacon)
    : PeerService.PeerServiceBase
{
    /// <summary>The key of the caller's certificate hash (32 bytes) in a call's user state.</summary>
    public static readonly object CertificateKey = new();

    /// <summary>The key of the admitted <see cref="PeerCall"/> in a call's user state.</summary>
    public static readonly object CallKey = new();

    /// <summary>The key of the caller's address (an <see cref="System.Net.EndPoint"/>) in a call's user state, for logs.</summary>
    public static readonly object RemoteKey = new();

    /// <summary>The protocol version this node speaks.</summary>
    public const uint ProtocolVersion = 1;

    /// <summary>A random number per process start, sent in Hello: two machines with one identity tell apart by it.</summary>
    public static ulong Instance { get; } = BitConverter.ToUInt64(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));

    /// <inheritdoc />
    public override async Task<HelloReply> Hello(HelloRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var certificate = Certificate(context);
        var ours = local.Current ?? throw new RpcException(new Status(StatusCode.Unavailable, "the node is starting: it has no manifest yet"));
        if (request.Rotations.Count > PeerLimits.MaxRotations)
        {
            throw Refuse(context, PeerRefusal.BadManifest, StatusCode.InvalidArgument, $"rotations: {request.Rotations.Count}; at most {PeerLimits.MaxRotations}");
        }

        if (request.ProtocolVersions.Count > 0 && !request.ProtocolVersions.Contains(ProtocolVersion))
        {
            throw Refuse(context, PeerRefusal.BadManifest, StatusCode.FailedPrecondition,
                $"protocol_versions: this node speaks version {ProtocolVersion}, the caller {string.Join(", ", request.ProtocolVersions.Take(8))}");
        }

        var check = PeerManifests.Verify(request.Manifest.Span, time);
        if (!check.IsValid)
        {
            var code = check.Outcome is ManifestOutcome.Malformed or ManifestOutcome.Oversize or ManifestOutcome.UnknownVersion
                ? StatusCode.InvalidArgument : StatusCode.Unauthenticated;
            var detail = check.Outcome is ManifestOutcome.Expired or ManifestOutcome.NotYetValid
                ? $"{check.Detail} (this node's clock: {time.GetUtcNow():yyyy-MM-ddTHH:mm:ssZ}; the caller's: {Clock(request.SentAt)})"
                : check.Detail!;
            throw Refuse(context, PeerRefusal.BadManifest, code, $"manifest: {detail}");
        }

        if (!check.Manifest!.TlsCertificateSha256.Span.SequenceEqual(certificate))
        {
            throw Refuse(context, PeerRefusal.CertificateMismatch, StatusCode.Unauthenticated,
                $"the manifest of {check.NodeId} names certificate {Short(check.Manifest.TlsCertificateSha256.Span)}, this connection presented " +
                $"{Short(certificate)}: a manifest is only good on the connection of the node it describes");
        }

        if (check.NodeId == local.NodeId)
        {
            throw Refuse(context, PeerRefusal.BadManifest, StatusCode.FailedPrecondition,
                $"the caller is node {local.NodeId}, this node itself (a static peer pointing back here, or a cloned identity)");
        }

        // An id this node had before a rotation is still this node: the reply's statements lead from it here.
        if (request.ExpectedNodeId.Length > 0 && request.ExpectedNodeId != local.NodeId.ToString() && !local.FormerIds.Contains(request.ExpectedNodeId))
        {
            throw Refuse(context, PeerRefusal.BadManifest, StatusCode.FailedPrecondition,
                $"expected_node_id: this is node {local.NodeId}, not {Truncate(request.ExpectedNodeId)} (another node answers at this address)");
        }

        await RotateAsync(request, check.NodeId, context).ConfigureAwait(false);
        switch (manifests.Offer(check, request.Manifest.Memory))
        {
            case ManifestFreshness.Older:
                throw Refuse(context, PeerRefusal.StaleManifest, StatusCode.FailedPrecondition,
                    $"the manifest of {check.NodeId} was issued before one this node already holds (a replay?)");
            case ManifestFreshness.Conflicting:
                throw Refuse(context, PeerRefusal.StaleManifest, StatusCode.FailedPrecondition,
                    $"the manifest of {check.NodeId} differs from one issued at the same time that this node already holds");
            case ManifestFreshness.Retired:
                manifests.IsRetired(check.NodeId, out var successor);
                throw Refuse(context, PeerRefusal.Retired, StatusCode.PermissionDenied, $"node {check.NodeId} was rotated to {successor}: it speaks as that id now");
        }

        return new HelloReply
        {
            Manifest = ByteString.CopyFrom(ours.Envelope),
            ProtocolVersion = ProtocolVersion,
            SentAt = time.GetUtcNow().ToUnixTimeMilliseconds(),
            Standing = StandingOf(peers.TierOf(check.NodeId)),
            Instance = Instance,
            Rotations = { local.Rotations.Select(ByteString.CopyFrom) },
        };
    }

    // The caller's rotation statements: each must verify, and together they must lead, oldest first, to
    // the id its manifest names. Each the book accepts carries a tier over; a competing one is refused
    // there, reported, and demotes the id that carried the tier; the Hello itself goes on either way.
    private async Task RotateAsync(HelloRequest request, NodeId caller, ServerCallContext context)
    {
        if (!PeerRotations.TryRead(request.Rotations, caller, out var chain, out var problem))
        {
            throw Refuse(context, PeerRefusal.BadManifest, StatusCode.InvalidArgument, problem!);
        }

        foreach (var result in await PeerRotations.ApplyAsync(chain, peers, manifests, context.CancellationToken).ConfigureAwait(false))
        {
            if (result.Outcome == RotationOutcome.Conflicting)
            {
                refusals.Add(PeerRefusal.RotationConflict, Remote(context), result.Detail);
            }
        }
    }

    /// <inheritdoc />
    public override async Task Heartbeat(IAsyncStreamReader<Beat> requestStream, IServerStreamWriter<Beat> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(requestStream);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var call = Call(context);
        // One link per pair: when this node has the lower id and its own link to the caller is up, that one stays.
        if (local.NodeId.CompareTo(call.Caller) < 0 && linkStates().Of(call.Caller) is { State: LinkState.Connected, Direction: LinkDirection.Outbound })
        {
            throw new RpcException(new Status(StatusCode.AlreadyExists, $"link exists, dialled by {local.NodeId} (the lower id)"));
        }

        using var silence = new CancellationTokenSource(options.SilentStreamEnd, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(call.Token, silence.Token);
        using var link = links.Open(call.Caller);
        using var beats = new BeatWriter(responseStream);
        using var pushing = CancellationTokenSource.CreateLinkedTokenSource(either.Token);
        var push = PushMovesAsync(call, beats, pushing.Token);
        try
        {
            while (await requestStream.MoveNext(either.Token).ConfigureAwait(false))
            {
                var heard = time.GetTimestamp();
                silence.CancelAfter(options.SilentStreamEnd);
                var beat = requestStream.Current;
                link.Heard(beat);
                beacon.Heard(call.Caller, beat);
                var reply = new Beat
                {
                    EchoSeq = beat.Seq,
                    EchoDelayUs = (uint)Math.Min(uint.MaxValue, time.GetElapsedTime(heard).Ticks / 10),
                };
                if (link.ManifestChanged(local.Current))
                {
                    reply.ManifestSha256 = ByteString.CopyFrom(local.Current!.Sha256);
                }

                await beats.WriteAsync(reply, Syncs(call), beacon, either.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (call.RevokedReason is { } reason)
        {
            if (call.RevokedStatus == StatusCode.PermissionDenied)
            {
                refusals.Add(PeerRefusal.TierRevoked, Remote(context), reason);
            }

            throw new RpcException(new Status(call.RevokedStatus, reason));
        }
        catch (OperationCanceledException) when (silence.IsCancellationRequested && !call.Token.IsCancellationRequested)
        {
            // Silent for too long: the stream ends, the connection is free; the dialler reconnects when it is back.
            throw new RpcException(new Status(StatusCode.DeadlineExceeded, $"no beat for {options.SilentStreamEnd.TotalSeconds:0} s"));
        }
        finally
        {
            await pushing.CancelAsync().ConfigureAwait(false);
            await push.ConfigureAwait(false);
        }
    }

    // Whether the caller syncs with this node (sandbox or core here): only such a peer is told where our store is.
    private bool Syncs(PeerCall call) => PeerPermissions.SyncView(peers.TierOf(call.Caller)) is not null;

    // A packet stored here: a beat goes to the caller at once with the store's new position (if it syncs with us).
    private async Task PushMovesAsync(PeerCall call, BeatWriter beats, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await beacon.Moved.WaitAsync(cancellationToken).ConfigureAwait(false);
                if (Syncs(call))
                {
                    await beats.WriteAsync(new Beat(), stamp: true, beacon, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException or RpcException)
        {
            // The stream ended.
        }
    }

    // The reply side of a heartbeat stream: replies to the caller's beats and pushed beats, one write at a time, numbered in order.
    private sealed class BeatWriter(IServerStreamWriter<Beat> stream) : IDisposable
    {
        private readonly SemaphoreSlim _gate = new(1, 1);
        private ulong _sent;
        private long _storeSent = -1;

        public async Task WriteAsync(Beat beat, bool stamp, SyncBeacon beacon, CancellationToken cancellationToken)
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                beat.Seq = ++_sent;
                if (stamp)
                {
                    beacon.Stamp(beat, ref _storeSent);
                }

                await stream.WriteAsync(beat, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _gate.Release();
            }
        }

        public void Dispose() => _gate.Dispose();
    }

    /// <inheritdoc />
    public override async Task<QueryReply> Query(QueryRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var call = Call(context);
        Require(request.Topic.Length > 0 && Encoding.UTF8.GetByteCount(request.Topic) <= PeerLimits.MaxQueryNameBytes,
            $"topic: must be 1–{PeerLimits.MaxQueryNameBytes} bytes");
        Require(Encoding.UTF8.GetByteCount(request.Key) <= PeerLimits.MaxQueryNameBytes, $"key: at most {PeerLimits.MaxQueryNameBytes} bytes");
        Require(request.PageSize <= PeerLimits.MaxQueryPage, $"page_size: at most {PeerLimits.MaxQueryPage}");
        try
        {
            var reply = new QueryReply();
            if (request.Key.Length > 0)
            {
                if (await Slot(request.Topic, request.Key, call).ConfigureAwait(false) is { } one)
                {
                    reply.Slots.Add(one);
                }

                return reply;
            }

            var after = PageToken.Read(request.Topic, request.PageToken) ?? throw Invalid("page_token: not a token this node gave for this topic");
            var size = request.PageSize == 0 ? PeerLimits.DefaultQueryPage : (int)request.PageSize;
            var bytes = 0;
            // Keys whose packets are all outside the caller's view take no room, but bound the work of one call.
            for (var scanned = 0; scanned < 4 * size;)
            {
                IReadOnlyList<string> keys;
                using (var reader = store.OpenReader())
                {
                    keys = reader.Packets.KeysOf(request.Topic, after, size);
                }

                if (keys.Count == 0)
                {
                    return reply;
                }

                foreach (var key in keys)
                {
                    scanned++;
                    after = key;
                    if (await Slot(request.Topic, key, call).ConfigureAwait(false) is not { } slot)
                    {
                        continue;
                    }

                    reply.Slots.Add(slot);
                    bytes += slot.Current.Length;
                    if (reply.Slots.Count >= size || bytes >= PeerLimits.MaxQueryPageBytes)
                    {
                        reply.NextPageToken = PageToken.Write(request.Topic, after);
                        return reply;
                    }
                }
            }

            reply.NextPageToken = PageToken.Write(request.Topic, after);
            return reply;
        }
        catch (OperationCanceledException) when (call.RevokedReason is { } reason)
        {
            throw new RpcException(new Status(call.RevokedStatus, reason));
        }
    }

    /// <inheritdoc />
    public override Task<CatchUpReply> CatchUp(CatchUpRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Task.FromResult(Serve(context, (view, caller) => Served(caller, sync.CatchUp(view, request), r => r.Packets)));
    }

    /// <inheritdoc />
    public override Task<ReconcileReply> Reconcile(ReconcileRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Task.FromResult(Serve(context, (view, _) => sync.Reconcile(view, request)));
    }

    /// <inheritdoc />
    public override Task<FetchReply> Fetch(FetchRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Task.FromResult(Serve(context, (view, caller) => Served(caller, sync.Fetch(view, request), r => r.Packets)));
    }

    // Counts the packets a reply serves the caller, for its sync status.
    private T Served<T>(string caller, T reply, Func<T, IReadOnlyCollection<SyncPacket>> packets)
    {
        var sent = packets(reply);
        book.Served(caller, sent.Count, sent.Sum(p => (long)p.Envelope.Length));
        return reply;
    }

    // A sync call serves the view of the tier the call was admitted with; a change of view revokes the call (PeerCalls).
    private static T Serve<T>(ServerCallContext context, Func<Storage.Packets.PacketScope, string, T> serve)
    {
        ArgumentNullException.ThrowIfNull(context);
        var call = Call(context);
        var view = PeerPermissions.SyncView(call.Tier)
            ?? throw new RpcException(new Status(StatusCode.PermissionDenied, $"{call.Method} needs tier sandbox; node {call.Caller} is below it here"));
        call.Token.ThrowIfCancellationRequested();
        var reply = serve(view, call.Caller.ToString());
        return call.RevokedReason is { } reason ? throw new RpcException(new Status(call.RevokedStatus, reason)) : reply;
    }

    private async Task<Slot?> Slot(string topic, string key, PeerCall call)
    {
        // The tier now, not the one at admission: a drop during a long page shows at the next slot.
        var tier = peers.TierOf(call.Caller);
        call.Token.ThrowIfCancellationRequested();
        var value = await slots.ResolveAsync(topic, key, tier, call.Token).ConfigureAwait(false);
        if (value is null)
        {
            return null;
        }

        return new Slot
        {
            Topic = topic,
            Key = key,
            Current = value.Current is { } current ? ByteString.CopyFrom(current.Packet.Envelope) : ByteString.Empty,
            Contenders = (uint)value.OtherContenders.Count,
        };
    }

    private static ReadOnlySpan<byte> Certificate(ServerCallContext context) =>
        context.UserState.TryGetValue(CertificateKey, out var value) && value is byte[] { Length: 32 } hash
            ? hash
            : throw new RpcException(new Status(StatusCode.Unauthenticated, "no client certificate on this connection"));

    private static PeerCall Call(ServerCallContext context) =>
        context.UserState.TryGetValue(CallKey, out var value) && value is PeerCall { Caller.IsEmpty: false } call
            ? call
            : throw new RpcException(new Status(StatusCode.Unauthenticated, "call Hello first"));

    private static System.Net.EndPoint? Remote(ServerCallContext context) =>
        context.UserState.TryGetValue(RemoteKey, out var value) ? value as System.Net.EndPoint : null;

    private RpcException Refuse(ServerCallContext context, PeerRefusal reason, StatusCode code, string detail)
    {
        refusals.Add(reason, Remote(context), detail);
        return new RpcException(new Status(code, detail));
    }

    private static void Require(bool condition, string detail)
    {
        if (!condition)
        {
            throw Invalid(detail);
        }
    }

    private static RpcException Invalid(string detail) => new(new Status(StatusCode.InvalidArgument, detail));

    private static Standing StandingOf(TrustTier tier) => tier switch
    {
        TrustTier.Core => Standing.Core,
        TrustTier.Sandbox => Standing.Sandbox,
        TrustTier.External => Standing.External,
        _ => Standing.Unknown,
    };

    private static string Short(ReadOnlySpan<byte> hash) => Convert.ToHexStringLower(hash[..Math.Min(8, hash.Length)]) + "…";

    // Text the caller chose, as it may appear in a message: short, and no control characters.
    private static string Truncate(string text) => Diagnostics.RemoteText.Printable(text, 40);

    private static string Clock(long unixMs) => unixMs is > 0 and < 253402300800000
        ? DateTimeOffset.FromUnixTimeMilliseconds(unixMs).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture)
        : "not given";
}
