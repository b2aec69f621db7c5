using Grpc.Core;
using Microsoft.Extensions.Options;
using Node.Daemon.Api.Access;
using Node.Daemon.CommandLine;
using Node.Daemon.Configuration;
using Node.Daemon.Health;
using Node.Federation.Discovery;
using Node.Federation.Identity;
using Node.Federation.Link;
using Node.Protocol.Api;
using Node.Storage;
using Node.Storage.Events;

namespace Node.Daemon.Api;

/// <summary><c>sovereign.api.v1.NodeService</c>: who the node is and how it is doing.</summary>
internal sealed partial class NodeApi(
    IdentityHost identity,
    IdentityRotation rotation,
    NodeStore store,
    CriticalLoops loops,
    IOptionsMonitor<NodeOptions> node,
    DaemonLaunch launch,
    TimeProvider time,
    NodeClock clock,
    DiscoveryHost discovery,
    ApiTcpListener tcp,
    ApiRefusals refusals,
    LocalManifest manifest) : NodeService.NodeServiceBase
{
    public override Task<NodeStatus> GetStatus(GetStatusRequest request, ServerCallContext context)
    {
        var status = new NodeStatus
        {
            NodeId = identity.Identity.Id.ToString(),
            Name = node.CurrentValue.Name,
            Version = HelpText.Version,
            UptimeSeconds = time.GetElapsedTime(clock.Started).TotalSeconds,
            Pid = launch.ProcessId,
            Store = Stats(store),
            CertificateSha256 = manifest.Certificate.Fingerprint,
        };
        if (manifest.Current is { } issued)
        {
            status.PeerPort = issued.Port;
            status.ManifestSha256 = issued.Hash;
        }

        var stalled = loops.FindStalled(TimeSpan.FromMinutes(1));
        status.Subsystems.Add(new Subsystem { Name = "store", State = store.Writer.Fault is null ? "ok" : "failed", Detail = store.Writer.Fault?.Message ?? store.Path });
        status.Subsystems.Add(new Subsystem
        {
            Name = "identity",
            State = "ok",
            Detail = rotation.Pending() is { } pending ? $"{status.NodeId}; key rotation to {pending.NewId} pending until the next start" : status.NodeId,
        });
        status.Subsystems.Add(new Subsystem
        {
            Name = "critical-loops",
            State = stalled.Count == 0 ? "ok" : "degraded",
            Detail = stalled.Count == 0 ? $"{loops.Registered.Count} registered" : $"stalled: {string.Join(", ", stalled.Select(s => s.Name))}",
        });
        status.Subsystems.Add(Discovery(discovery));
        status.Subsystems.Add(new Subsystem
        {
            Name = "api",
            State = "ok",
            Detail = $"{(tcp.EndPoint is { } bound ? $"TCP on {bound}" : "Unix socket only")}; {refusals.Describe()}",
        });
        return Task.FromResult(status);
    }

    // "off" by setting, "failed" when the link could not be set up, otherwise the name claimed and how many peers answer.
    private static Subsystem Discovery(DiscoveryHost discovery)
    {
        if (!discovery.Enabled)
        {
            return new Subsystem { Name = "discovery", State = "off", Detail = "Federation:Discovery:Enabled=false" };
        }

        if (discovery.Discovery is not { } running)
        {
            return new Subsystem { Name = "discovery", State = discovery.StartError is null ? "starting" : "failed", Detail = discovery.StartError ?? "" };
        }

        var diagnosis = running.Diagnose();
        var conflicts = diagnosis.Links.Sum(l => l.Conflicts);
        return new Subsystem
        {
            Name = "discovery",
            State = diagnosis.Links.Count == 0 ? "degraded" : "ok",
            Detail = diagnosis.Links.Count == 0
                ? "no suitable interface"
                : $"{diagnosis.InstanceName ?? "browsing only"}; {diagnosis.Services.Count} peer service(s) on {string.Join(", ", diagnosis.Links.Select(l => l.Link.Name))}"
                    + (conflicts > 0 ? $"; {conflicts} name conflict(s)" : ""),
        };
    }

    private static StoreStats Stats(NodeStore store)
    {
        using var reader = store.OpenReader();
        long Size(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;
        return new StoreStats
        {
            Packets = reader.Packets.Count(),
            CorruptPackets = reader.Packets.CorruptCount(),
            HeldPackets = reader.Packets.HeldCount(),
            Events = reader.Events.HeadSeq(),
            DatabaseBytes = Size(store.Path) + Size(store.Path + "-wal"),
            Epoch = Convert.ToHexStringLower(store.Epoch),
        };
    }
}

/// <summary>When the node started, on its clock (for uptime).</summary>
internal sealed class NodeClock(TimeProvider time)
{
    public long Started { get; } = time.GetTimestamp();
}
