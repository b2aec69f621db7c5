using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Node.Daemon.PeerListener;
using Node.Federation.Discovery;
using Node.Federation.Link;
using Node.Federation.Link.Server;
using Node.Federation.Peers;
using Node.Federation.Sync;
using Node.Protocol.Api;
using Node.Storage;

namespace Node.Daemon.Api;

/// <summary>
/// <c>sovereign.api.v1.FederationService</c>: who answers mDNS now, and why a peer may not be seen;
/// knowledge sync's state, rounds asked for now, and automatic rounds on or off (FederationApi.Sync.cs).
/// </summary>
internal sealed partial class FederationApi(DiscoveryHost discovery, IOptions<DiscoveryOptions> options, TimeProvider time, IHostApplicationLifetime lifetime,
    LocalManifest manifest, PeerServer listener, PeerRefusals peerRefusals, PeerRegistry peers, PeerLinks links,
    NodeStore store, SyncBook book, SyncScheduler scheduler, ViewSummaries views)
    : FederationService.FederationServiceBase
{
    /// <summary>How long Discover waits when the request does not say, in ms.</summary>
    public const int DefaultTimeoutMs = 2000;

    /// <summary>Shortest and longest wait a Discover call may ask for, in ms.</summary>
    public const int MinTimeoutMs = 100, MaxTimeoutMs = 30_000;

    /// <summary>Why Discover is refused while discovery is switched off.</summary>
    public const string DisabledMessage = "discovery is off (Federation:Discovery:Enabled=false)";

    public override async Task<DiscoverReply> Discover(DiscoverRequest request, ServerCallContext context)
    {
        var timeoutMs = request.TimeoutMs switch
        {
            0 => DefaultTimeoutMs,
            >= MinTimeoutMs and <= MaxTimeoutMs => request.TimeoutMs,
            _ => throw ApiErrors.InvalidArgument("timeout_ms", $"must be from {MinTimeoutMs} to {MaxTimeoutMs} (0 = {DefaultTimeoutMs}); was {request.TimeoutMs}"),
        };
        if (!discovery.Enabled)
        {
            throw ApiErrors.FailedPrecondition(DisabledMessage);
        }

        if (discovery.Discovery is null)
        {
            throw ApiErrors.FailedPrecondition(discovery.StartError is { } error
                ? $"discovery could not start: {error} (see 'nodectl federation diagnose')"
                : "discovery is not running (the node is starting or stopping)");
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        var queriedAt = time.GetUtcNow();
        IReadOnlyList<DiscoveredService> services;
        try
        {
            services = await discovery.DiscoverAsync(TimeSpan.FromMilliseconds(timeoutMs), stop.Token).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            throw ApiErrors.Unavailable("discovery stopped while waiting for answers (the node is stopping)");
        }

        var reply = new DiscoverReply { QueriedAt = queriedAt.ToUnixTimeMilliseconds() };
        reply.Peers.Add(services.OrderBy(s => s.Instance.ToString(), StringComparer.Ordinal).Select(ToApi));
        return reply;
    }

    public override Task<DiagnoseReply> Diagnose(DiagnoseRequest request, ServerCallContext context)
    {
        var diagnosis = discovery.Discovery?.Diagnose();
        var reply = new DiagnoseReply
        {
            Enabled = discovery.Enabled,
            Running = diagnosis is not null,
            InstanceName = diagnosis?.InstanceName ?? "",
            HostName = diagnosis?.HostName ?? "",
            Services = diagnosis?.Services.Count ?? 0,
        };
        if (diagnosis is not null)
        {
            reply.Links.Add(diagnosis.Links.Select(l => new DiscoveryLink
            {
                Name = l.Link.Name,
                Index = l.Link.Index,
                JoinedIpv4 = l.Link.JoinedIPv4,
                JoinedIpv6 = l.Link.JoinedIPv6,
                PacketsSent = l.Link.PacketsSent,
                PacketsReceived = l.Link.PacketsReceived,
                SendErrors = l.Link.SendErrors,
                LastError = l.Link.LastError ?? "",
                State = l.State,
                Conflicts = l.Conflicts,
            }));
        }

        reply.PeerListener = new PeerListenerState { Port = manifest.Current?.Port ?? 0, Connections = listener.OpenConnections };
        foreach (var (reason, count) in peerRefusals.Counts)
        {
            reply.PeerListener.Refusals[PeerRefusals.Name(reason)] = count;
        }

        reply.Hints.Add(DiscoveryHints.For(discovery.Enabled, discovery.StartError, diagnosis, [.. options.Value.Interfaces]));
        reply.Hints.Add(LinkHints.For(peers.List(), links, manifest.NodeId));
        return Task.FromResult(reply);
    }

    private DiscoveredPeer ToApi(DiscoveredService service)
    {
        var peer = new DiscoveredPeer
        {
            Instance = service.Instance.ToString(),
            NodeId = service.NodeId?.ToString() ?? "",
            Host = service.Host.ToString(),
            Port = (uint)Math.Max(0, service.Port),
            InterfaceName = discovery.InterfaceName(service.InterfaceIndex),
            LastSeenAt = service.LastSeen.ToUnixTimeMilliseconds(),
        };
        if (service.Port is >= 1 and <= 65535)
        {
            peer.Addresses.Add(service.Addresses.Select(a => PeerAddress.Of(a, service.Port)));
        }

        foreach (var (key, value) in service.Txt)
        {
            peer.Txt[key] = value;
        }

        return peer;
    }
}
