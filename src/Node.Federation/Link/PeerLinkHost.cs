using System.Net;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Node.Federation.Identity;
using Node.Federation.Link.Client;
using Node.Federation.Link.Internal;
using Node.Federation.Peers;
using Node.Federation.Trust;
using Node.Protocol.Peer;

namespace Node.Federation.Link;

/// <summary>
/// Keeps this node's links (docs/protocol.md, "Peer link"): one loop per peer it wants a link to —
/// registered, tier external or above, an address known — that dials when the tie-break says so
/// (the lower id at once, the higher after the accept grace when no link came in), says Hello,
/// keeps a Heartbeat stream, and on silence or loss dials again after a jittered back-off. A static
/// peer added by address alone is dialled once to learn its node id from its manifest; it is then
/// registered, tier unknown, and linked only once an operator trusts it.
/// </summary>
public sealed partial class PeerLinkHost(PeerRegistry peers, ManifestBook manifests, PeerDialer dialer, PeerLinks links, LocalManifest local,
    IOptions<PeerLinkOptions> options, TimeProvider time, ILogger<PeerLinkHost> logger, Sync.SyncBeacon? beacon = null) : BackgroundService
{
    /// <summary>How often the wanted peers are looked at again, besides at once on a change of tier.</summary>
    public static readonly TimeSpan ReconcileInterval = TimeSpan.FromSeconds(2);

    /// <summary>How often this node's manifest is looked at (its addresses, half its lifetime): it is issued anew when due.</summary>
    public static readonly TimeSpan ManifestCheckInterval = TimeSpan.FromMinutes(1);

    private long _manifestCheckedAt;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<NodeId, PeerChannel> _live = new();

    private readonly PeerLinkOptions _options = options.Value;
    private readonly Dictionary<string, (CancellationTokenSource Stop, Task Run)> _loops = new(StringComparer.Ordinal);
    private readonly System.Threading.Channels.Channel<bool> _wake = System.Threading.Channels.Channel.CreateBounded<bool>(
        new System.Threading.Channels.BoundedChannelOptions(1) { FullMode = System.Threading.Channels.BoundedChannelFullMode.DropWrite });

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        peers.TierChanged += OnTierChanged;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    Reconcile(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The registry could not be read (a store error): links stay as they are; look again later.
                    LogReconcileFailed(logger, ex);
                }

                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                wait.CancelAfter(ReconcileInterval);
                try
                {
                    await _wake.Reader.WaitToReadAsync(wait.Token).ConfigureAwait(false);
                    _wake.Reader.TryRead(out _);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    // Time to look again anyway.
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        finally
        {
            peers.TierChanged -= OnTierChanged;
            foreach (var (stop, _) in _loops.Values)
            {
                await stop.CancelAsync().ConfigureAwait(false);
            }

            await Task.WhenAll(_loops.Values.Select(l => l.Run)).ConfigureAwait(false);
            foreach (var (stop, _) in _loops.Values)
            {
                stop.Dispose();
            }
        }
    }

    private void OnTierChanged(NodeId peer, TrustTier tier) => _wake.Writer.TryWrite(true);

    // Starts a loop for each peer wanted and not yet looped over, ends those no longer wanted.
    private void Reconcile(CancellationToken stoppingToken)
    {
        if (local.Current is not { } current)
        {
            return;
        }

        if (_manifestCheckedAt == 0 || time.GetElapsedTime(_manifestCheckedAt) >= ManifestCheckInterval)
        {
            _manifestCheckedAt = time.GetTimestamp();
            if (local.Refresh(current.Port) is var issued && !ReferenceEquals(issued, current))
            {
                LogReissued(logger, issued.Hash, issued.ExpiresAt);
            }
        }

        var wanted = new Dictionary<string, Func<CancellationToken, Task>>(StringComparer.Ordinal);
        foreach (var entry in peers.List())
        {
            if (entry.Addresses.Count == 0)
            {
                continue;
            }

            if (entry.NodeId.Length == 0)
            {
                foreach (var address in entry.Addresses)
                {
                    wanted.TryAdd("address " + address, token => LearnAsync(address, token));
                }
            }
            else if (entry.Tier >= TrustTier.External && NodeId.TryParse(entry.NodeId, out var id, out _) && id != local.NodeId)
            {
                wanted.TryAdd("node " + entry.NodeId, token => LinkAsync(id, token));
            }
        }

        foreach (var key in _loops.Keys.Where(k => !wanted.ContainsKey(k) || _loops[k].Run.IsCompleted).ToList())
        {
            var (stop, run) = _loops[key];
            stop.Cancel();
            _ = run.ContinueWith(_ => stop.Dispose(), TaskScheduler.Default);
            _loops.Remove(key);
            if (key.StartsWith("node ", StringComparison.Ordinal) && NodeId.TryParse(key[5..], out var gone, out _) && !wanted.ContainsKey(key))
            {
                links.Forget(gone);
            }
            else if (key.StartsWith("address ", StringComparison.Ordinal) && !wanted.ContainsKey(key))
            {
                links.ReportLearning(key["address ".Length..], null);
            }
        }

        foreach (var (key, run) in wanted)
        {
            if (!_loops.ContainsKey(key))
            {
                var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                _loops[key] = (stop, Task.Run(() => run(stop.Token), CancellationToken.None));
            }
        }
    }

    // A static peer known by address only: dial until its manifest teaches the node id, then register it.
    private async Task LearnAsync(string address, CancellationToken cancellationToken)
    {
        var backoff = new Backoff(_options, new Random());
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                using var channel = await DialAnyAsync([address], default, cancellationToken).ConfigureAwait(false);
                if (manifests.Offer(channel.Verified, channel.Envelope) is ManifestFreshness.Newer or ManifestFreshness.Same)
                {
                    await peers.AddStaticAsync(address, channel.Peer, channel.Manifest.Name, cancellationToken).ConfigureAwait(false);
                    links.ReportLearning(address, null);
                    var learnt = channel.Peer.ToString();
                    LogLearnt(logger, address, learnt);
                    return;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                var why = Printable(ex.Message);
                links.ReportLearning(address, new LearningProblem(address, why, ex is PeerDialException dial ? dial.Failure : LinkProblem.Unreachable,
                    time.GetUtcNow()));
                LogLearnFailed(logger, address, why);
            }

            await Delay(backoff.Next(), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task LinkAsync(NodeId peer, CancellationToken cancellationToken)
    {
        var policy = new DialPolicy(local.NodeId, _options.EffectiveAcceptGrace);
        var backoff = new Backoff(_options, new Random());
        var wantedSince = time.GetTimestamp();
        var failing = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            // The tie-break: the lower id dials; the higher only when no link came in within the grace.
            if (!policy.ShouldDial(peer, time.GetElapsedTime(wantedSince), linked: links.HasLiveInbound(peer)))
            {
                if (links.HasLiveInbound(peer))
                {
                    // Linked by the peer: look again when its stream ends, or a beat interval on (it may fall silent).
                    wantedSince = time.GetTimestamp();
                    await Task.WhenAny(links.InboundEnded(peer), Delay(_options.HeartbeatInterval, cancellationToken)).ConfigureAwait(false);
                }
                else
                {
                    await Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
                }

                continue;
            }

            TimeSpan delay;
            try
            {
                // A first dial shows as connecting; a link that was up stays suspect (or down) until it is up again.
                Report(peer, Lost(peer) is LinkState.Never ? LinkState.Connecting : Lost(peer), null, null, null);
                // Where it is now: a new lease, a new announcement, an address an operator added.
                var addresses = peers.List().FirstOrDefault(p => p.NodeId == peer.ToString())?.Addresses ?? [];
                using var channel = await DialAnyAsync(addresses, peer, cancellationToken).ConfigureAwait(false);
                if (channel.Peer != peer)
                {
                    // It rotated its key: once its statements carry the tier over, the loop of its new id links it.
                    await FollowRotationAsync(peer, channel, cancellationToken).ConfigureAwait(false);
                    return;
                }

                if (manifests.Offer(channel.Verified, channel.Envelope) is not (ManifestFreshness.Newer or ManifestFreshness.Same) and var stale)
                {
                    throw new PeerDialException(LinkProblem.StaleManifest, $"{peer} answered with a manifest this node refuses ({stale})");
                }

                failing = false;
                Report(peer, Lost(peer) is LinkState.Never ? LinkState.Connecting : Lost(peer), null, null, null, skew: channel.ClockSkew);
                var up = time.GetTimestamp();
                var name = peer.ToString();
                var standing = channel.Standing.ToString();
                LogUp(logger, name, standing);
                _live[peer] = channel;
                string why;
                try
                {
                    why = await HeartbeatAsync(peer, channel, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    _live.TryRemove(new KeyValuePair<NodeId, PeerChannel>(peer, channel));
                }

                LogEnded(logger, name, why);
                Report(peer, Lost(peer), null, null, why, LinkProblem.Lost);
                backoff.LinkEnded(time.GetElapsedTime(up));
                delay = backoff.Next();
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.PermissionDenied)
            {
                var why = Printable($"refused by the peer: {ex.Status.Detail}");
                Report(peer, Lost(peer), null, null, why, LinkProblem.NotTrusted);
                var name = peer.ToString();
                var detail = Printable(ex.Status.Detail);
                LogRefused(logger, name, detail);
                delay = backoff.Refused();
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.AlreadyExists)
            {
                // The peer keeps the link it dialled (the lower id's): ours is the spare, and not a failure.
                Report(peer, links.Of(peer).State, null, null, null);
                delay = _options.EffectiveAcceptGrace;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                var why = Printable(ex is RpcException rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : ex.Message);
                Report(peer, Lost(peer), null, null, why, ex is PeerDialException dial ? dial.Failure : LinkProblem.Lost);
                if (!failing)
                {
                    var name = peer.ToString();
                    LogDialFailed(logger, name, why);
                }

                failing = true;
                delay = backoff.Next();
            }

            await Delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A channel to <paramref name="peer"/> for calls beside the heartbeat (sync): the link's own when
    /// this node dialled it (not to be disposed: <c>Owned</c> false), else a new connection dialled as
    /// the link dials (the peer's addresses, its pinned manifest), to dispose when done.
    /// </summary>
    /// <exception cref="PeerDialException">It could not be reached, or answered as another node.</exception>
    public async Task<(PeerChannel Channel, bool Owned)> ChannelAsync(NodeId peer, CancellationToken cancellationToken)
    {
        if (_live.TryGetValue(peer, out var live))
        {
            return (live, false);
        }

        var addresses = peers.List().FirstOrDefault(p => p.NodeId == peer.ToString())?.Addresses ?? [];
        var channel = await DialAnyAsync(addresses, peer, cancellationToken).ConfigureAwait(false);
        if (channel.Peer != peer || manifests.Offer(channel.Verified, channel.Envelope) is not (ManifestFreshness.Newer or ManifestFreshness.Same))
        {
            channel.Dispose();
            throw new PeerDialException(LinkProblem.OtherNode, $"{peer} answered as {channel.Peer}, or with a manifest this node refuses");
        }

        return (channel, true);
    }

    // Applies the statements that lead from the peer dialled to the id it answered under; refuses the
    // link when they did not carry the tier over (a competing rotation, reported by the book).
    private async Task FollowRotationAsync(NodeId peer, PeerChannel channel, CancellationToken cancellationToken)
    {
        var results = await PeerRotations.ApplyAsync(channel.Rotations, peers, manifests, cancellationToken).ConfigureAwait(false);
        if (!results.Any(r => r.OldId == peer && r.Outcome is RotationOutcome.Recorded or RotationOutcome.Known))
        {
            var why = results.FirstOrDefault(r => r.OldId == peer)?.Detail ?? "its rotation was not accepted here";
            throw new PeerDialException(LinkProblem.OtherNode, $"{peer} now answers as {channel.Peer}: {why}");
        }

        manifests.Offer(channel.Verified, channel.Envelope);
        var (from, to) = (peer.ToString(), channel.Peer.ToString());
        LogFollowed(logger, from, to);
        _wake.Writer.TryWrite(true);
    }

    // Beats every interval on the link's stream until the peer falls silent past the down time, the
    // stream ends, or the node stops. Returns why the link ended.
    private async Task<string> HeartbeatAsync(NodeId peer, PeerChannel channel, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var call = channel.Client.Heartbeat(cancellationToken: stop.Token);
        var liveness = new LivenessTracker(_options, time);
        var rtt = new RttEstimator(time);
        var reading = ReadBeatsAsync(peer, call.ResponseStream, liveness, rtt, stop.Token);
        using var timer = new PeriodicTimer(_options.HeartbeatInterval, time);
        var said = local.Current;
        var storeSent = -1L;
        Task<bool>? tick = null;
        try
        {
            while (true)
            {
                if (!ReferenceEquals(local.Current, said))
                {
                    // The peer holds the manifest this link said Hello with: a new link says the new one.
                    return "this node issued a new manifest";
                }

                var stamp = rtt.Next();
                var beat = new Beat
                {
                    Seq = stamp.Seq,
                    EchoSeq = stamp.EchoSeq,
                    EchoDelayUs = stamp.EchoDelayUs,
                    ManifestSha256 = stamp.Seq == 1 ? Google.Protobuf.ByteString.CopyFrom(local.Current!.Sha256) : Google.Protobuf.ByteString.Empty,
                };
                // A peer that syncs with us learns where our store is; others (external) are not told.
                var moved = beacon is not null && peers.TierOf(peer) >= TrustTier.Sandbox ? beacon.Moved : null;
                if (moved is not null)
                {
                    beacon!.Stamp(beat, ref storeSent);
                }

                await call.RequestStream.WriteAsync(beat, stop.Token).ConfigureAwait(false);
                tick ??= timer.WaitForNextTickAsync(stop.Token).AsTask();
                var woke = moved is null ? await Task.WhenAny(tick, reading).ConfigureAwait(false)
                    : await Task.WhenAny(tick, reading, moved).ConfigureAwait(false);
                if (woke == reading)
                {
                    return await reading.ConfigureAwait(false);
                }

                if (woke != tick)
                {
                    // A packet was stored: beat now (the next one carries the new position), the timer runs on.
                    continue;
                }

                await tick.ConfigureAwait(false);
                tick = null;
                liveness.Tick();
                var state = liveness.State;
                Report(peer, state, rtt.Smoothed, liveness.LastHeardAt, null);
                if (state == LinkState.Down)
                {
                    return $"no beat for {liveness.Silence.TotalSeconds:0} s";
                }
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await reading.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or RpcException or IOException)
            {
                // The link is over either way.
            }
        }
    }

    private async Task<string> ReadBeatsAsync(NodeId peer, IAsyncStreamReader<Beat> beats, LivenessTracker liveness, RttEstimator rtt,
        CancellationToken cancellationToken)
    {
        try
        {
            while (await beats.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                var beat = beats.Current;
                beacon?.Heard(peer, beat);
                liveness.Heard();
                rtt.Received(beat.Seq, beat.EchoSeq, beat.EchoDelayUs);
                Report(peer, liveness.State, rtt.Smoothed, liveness.LastHeardAt, null);
                if (!beat.ManifestSha256.IsEmpty && manifests.TryGet(peer, out var held) && !beat.ManifestSha256.Span.SequenceEqual(held.EnvelopeSha256.Span))
                {
                    // The peer issued a new manifest: say Hello again to fetch it.
                    return "the peer's manifest changed";
                }
            }

            liveness.TransportLost();
            return "the peer ended the heartbeat stream";
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
        {
            liveness.TransportLost();
            if (ex.StatusCode == StatusCode.PermissionDenied)
            {
                throw;
            }

            return $"{ex.StatusCode}: {ex.Status.Detail}";
        }
    }

    private async Task<PeerChannel> DialAnyAsync(IReadOnlyList<string> addresses, NodeId expected, CancellationToken cancellationToken)
    {
        PeerDialException? last = null;
        var pin = !expected.IsEmpty && manifests.TryGet(expected, out var held) && held.IsValidAt(time.GetUtcNow()) ? held.CertificateSha256.ToArray() : null;
        foreach (var address in addresses)
        {
            foreach (var endPoint in await ResolveAsync(address, cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    return await dialer.DialAsync(new PeerDial(endPoint, expected, pin), cancellationToken).ConfigureAwait(false);
                }
                catch (PeerDialException ex) when (ex.Failure == LinkProblem.CertificateMismatch && pin is not null)
                {
                    // Its certificate changed since the manifest held: once more unpinned, and Hello must prove it.
                    try
                    {
                        return await dialer.DialAsync(new PeerDial(endPoint, expected), cancellationToken).ConfigureAwait(false);
                    }
                    catch (PeerDialException again)
                    {
                        last = again;
                    }
                }
                catch (PeerDialException ex)
                {
                    last = ex;
                }
            }
        }

        throw last ?? new PeerDialException(LinkProblem.Unreachable, $"no usable address ({string.Join(", ", addresses)})");
    }

    private static async Task<IReadOnlyList<IPEndPoint>> ResolveAsync(string address, CancellationToken cancellationToken)
    {
        if (IPEndPoint.TryParse(address, out var endPoint) && endPoint.Port > 0)
        {
            return [endPoint];
        }

        var colon = address.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(address.AsSpan(colon + 1), System.Globalization.CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            return [];
        }

        try
        {
            var resolved = await Dns.GetHostAddressesAsync(address[..colon], cancellationToken).ConfigureAwait(false);
            return [.. resolved.Select(a => new IPEndPoint(a, port))];
        }
        catch (System.Net.Sockets.SocketException)
        {
            return [];
        }
    }

    // The state of a link that ended or could not be made: never, if it never was; suspect while its
    // peer was heard within the down time (a reset, a restart); down after.
    private LinkState Lost(NodeId peer) => links.Of(peer) switch
    {
        { LastHeartbeatAt: null } => LinkState.Never,
        { LastHeartbeatAt: { } heard } when time.GetUtcNow() - heard < _options.DownAfter => LinkState.Suspect,
        _ => LinkState.Down,
    };

    private void Report(NodeId peer, LinkState state, TimeSpan? rtt, DateTimeOffset? lastHeard, string? problem,
        LinkProblem kind = LinkProblem.None, TimeSpan? skew = null)
    {
        var before = links.Of(peer);
        var now = time.GetUtcNow();
        var kept = problem is null && state != LinkState.Connected;
        links.Report(new PeerLinkStatus(peer, state, LinkDirection.Outbound, rtt ?? (state == LinkState.Connected ? before.Rtt : null),
            lastHeard ?? before.LastHeartbeatAt, before.State == state && before.Direction == LinkDirection.Outbound ? before.Since : now,
            problem ?? (kept ? before.Problem : null), problem is null ? before.ProblemAt : now,
            problem is not null ? kind : kept ? before.ProblemKind : LinkProblem.None, skew ?? before.ClockSkew));
    }

    // A peer's words, as they may go into a log line or `peers show`: one line, no control characters, bounded.
    private static string Printable(string text) => Diagnostics.RemoteText.Printable(text, 300);

    private Task Delay(TimeSpan delay, CancellationToken cancellationToken) => Task.Delay(delay, time, cancellationToken)
        .ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    [LoggerMessage(Level = LogLevel.Error, Message = "Peer links not looked at: the peer registry could not be read; trying again in a moment.")]
    private static partial void LogReconcileFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Manifest issued anew: {Manifest}, valid until {Expires:u}; linked peers fetch it at their next beat.")]
    private static partial void LogReissued(ILogger logger, string manifest, DateTimeOffset expires);

    [LoggerMessage(Level = LogLevel.Information, Message = "Peer link to {NodeId} up (dialled by this node; it holds this node as {Standing}).")]
    private static partial void LogUp(ILogger logger, string nodeId, string standing);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Peer link to {NodeId} ended: {Reason}; dialling again after a back-off.")]
    private static partial void LogEnded(ILogger logger, string nodeId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Peer {NodeId} refused the link: {Reason}; trying again later.")]
    private static partial void LogRefused(ILogger logger, string nodeId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Peer link to {NodeId} cannot be set up: {Reason}; retrying with back-off (further failures at Debug).")]
    private static partial void LogDialFailed(ILogger logger, string nodeId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Peer {Old} answered as {New}, the id it rotated to; linking it under that id.")]
    private static partial void LogFollowed(ILogger logger, string old, string @new);

    [LoggerMessage(Level = LogLevel.Information, Message = "Static peer {Address} is node {NodeId}: registered, tier unknown until an operator trusts it.")]
    private static partial void LogLearnt(ILogger logger, string address, string nodeId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Static peer {Address} not reached yet: {Reason}.")]
    private static partial void LogLearnFailed(ILogger logger, string address, string reason);
}
