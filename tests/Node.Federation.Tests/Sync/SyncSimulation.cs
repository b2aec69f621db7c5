using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Node.Federation.Identity;
using Node.Federation.Sync;
using Node.Federation.Trust;
using Node.Protocol.Packets;
using Node.Storage.Packets;

namespace Node.Federation.Tests.Sync;

/// <summary>The outcome of one simulated run: whether it converged, and a trace that replays exactly for the same seed.</summary>
/// <param name="Converged">Whether every rule held after the network healed.</param>
/// <param name="StepsToConverge">Steps after the heal until it held (or the limit).</param>
/// <param name="Problems">The rules that did not hold, when it did not converge.</param>
/// <param name="Trace">Every put, retraction and round result, in order, and the final digests.</param>
internal sealed record SimulationRun(bool Converged, int StepsToConverge, IReadOnlyList<string> Problems, IReadOnlyList<string> Trace);

/// <summary>
/// A seeded simulation of many nodes: real stores and the real sync engine (<see cref="SyncScheduler"/>
/// driving <see cref="SyncRound"/>), an in-memory network that loses calls, partitions and churn, and
/// virtual time (one second per step). Nodes step in a fixed order and each runs at most one round a
/// step, so a seed replays exactly. After the chaos the network heals and the run checks, every step,
/// the rules sync promises: nothing lost between peers that sync, core peers linked both ways hold
/// identical core views, nothing reached a node its tiers did not allow.
/// </summary>
internal static class SyncSimulation
{
    private const int ChaosSteps = 90;
    private const int MaxHealSteps = 240;

    public static async Task<SimulationRun> RunAsync(int seed, int nodeCount, CancellationToken cancellationToken)
    {
        var random = new Random(seed);
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        await using var lab = new SyncLab();
        var nodes = Enumerable.Range(0, nodeCount).Select(i => lab.Add((byte)(i + 1), time)).ToList();
        var trace = new List<string>();
        RandomTiers(nodes, random);
        var partitioned = new HashSet<LabNode>();
        var offline = new Dictionary<LabNode, int>();
        var partitionSide = new HashSet<LabNode>();
        var lossy = true;
        var options = new SyncOptions { CatchUpInterval = TimeSpan.FromSeconds(5), AuditInterval = TimeSpan.FromMinutes(1), RetryInterval = TimeSpan.FromSeconds(3), MaxConcurrentRounds = 1 };
        var schedulers = nodes.ToDictionary(n => n, n => new SyncScheduler(n.Round, n.Book,
            new LabChannels(n, nodes, peer => lossy && random.NextDouble() < 0.05), options, time, NullLogger.Instance));
        var hlcs = nodes.ToDictionary(n => n, _ => 0UL);
        var authored = nodes.ToDictionary(n => n, _ => new List<byte[]>());

        bool Linked(LabNode a, LabNode b) => !offline.ContainsKey(a) && !offline.ContainsKey(b) && partitionSide.Contains(a) == partitionSide.Contains(b);

        for (var step = 0; step < ChaosSteps + MaxHealSteps; step++)
        {
            var chaos = step < ChaosSteps;
            if (chaos)
            {
                await ChaosAsync(step, random, nodes, offline, partitionSide, authored, trace);
            }
            else if (step == ChaosSteps)
            {
                offline.Clear();
                partitionSide.Clear();
                lossy = false;
                trace.Add($"{step}: healed");
            }

            foreach (var node in nodes)
            {
                var linked = nodes.Where(p => p != node && Linked(node, p)).Select(p => (p.Identity.Id, node.TierOf(p))).ToList();
                foreach (var round in schedulers[node].Tick(linked, cancellationToken))
                {
                    await round;
                }

                foreach (var snapshot in node.Book.All().Where(s => s.LastRoundEndedAt == time.GetUtcNow().ToUnixTimeMilliseconds()))
                {
                    trace.Add($"{step}: {Name(nodes, node)}<-{Name(nodes, snapshot.Peer)} {snapshot.LastRoundKind} {snapshot.LastRoundResult} received {snapshot.PacketsReceived}");
                }
            }

            foreach (var (node, until) in offline.ToList())
            {
                if (until <= step)
                {
                    offline.Remove(node);
                }
            }

            time.Advance(TimeSpan.FromSeconds(1));
            if (!chaos && step % 5 == 0 && Check(nodes).Count == 0)
            {
                trace.AddRange(nodes.Select(n => $"digest {Name(nodes, n)}: {Digest(n.View(PacketScope.Core))}"));
                return new SimulationRun(true, step - ChaosSteps, [], trace);
            }
        }

        return new SimulationRun(false, MaxHealSteps, Check(nodes), trace);
    }

    // Each ordered pair gets a tier, as operators might: mostly core, some sandbox, a few external or unknown.
    private static void RandomTiers(List<LabNode> nodes, Random random)
    {
        foreach (var a in nodes)
        {
            foreach (var b in nodes.Where(b => b != a))
            {
                a.Tiers[b.Id] = random.NextDouble() switch
                {
                    < 0.45 => TrustTier.Core,
                    < 0.7 => TrustTier.Sandbox,
                    < 0.85 => TrustTier.External,
                    _ => TrustTier.Unknown,
                };
            }
        }
    }

    private static async Task ChaosAsync(int step, Random random, List<LabNode> nodes, Dictionary<LabNode, int> offline, HashSet<LabNode> side,
        Dictionary<LabNode, List<byte[]>> authored, List<string> trace)
    {
        if (random.NextDouble() < 0.6)
        {
            var node = nodes[random.Next(nodes.Count)];
            var scope = (ShareScope)random.Next(1, 4);
            var id = await node.PutAsync($"k{random.Next(40)}", scope, $"{step}");
            authored[node].Add(id);
            trace.Add($"{step}: {Name(nodes, node)} put {Convert.ToHexStringLower(id)[..8]} {scope}");
        }

        if (random.NextDouble() < 0.08)
        {
            var node = nodes[random.Next(nodes.Count)];
            if (authored[node].Count > 0 && node.Has(authored[node][^1]))
            {
                var target = authored[node][^1];
                await node.PutAsync("retracted", ShareScope.Shareable, "", PacketKind.Retraction, target);
                trace.Add($"{step}: {Name(nodes, node)} retracts {Convert.ToHexStringLower(target)[..8]}");
            }
        }

        if (random.NextDouble() < 0.1)
        {
            var node = nodes[random.Next(nodes.Count)];
            offline[node] = step + random.Next(5, 16);
            trace.Add($"{step}: {Name(nodes, node)} offline");
        }

        if (step == 20)
        {
            side.UnionWith(nodes.Where(_ => random.NextDouble() < 0.5));
            trace.Add($"{step}: partition {string.Join(",", side.Select(n => Name(nodes, n)))}");
        }
        else if (step == 60)
        {
            side.Clear();
            trace.Add($"{step}: partition healed");
        }
    }

    /// <summary>The rules after the heal; empty when all hold.</summary>
    private static List<string> Check(List<LabNode> nodes)
    {
        var problems = new List<string>();
        var held = nodes.ToDictionary(n => n, n => (Stored: n.StoredIds(), Quarantined: n.QuarantinedIds()));
        foreach (var a in nodes)
        {
            foreach (var b in nodes.Where(b => b != a && PeerPermissions.SyncView(a.TierOf(b)) is not null && PeerPermissions.SyncView(b.TierOf(a)) is not null))
            {
                // Nothing lost: what A serves B is at B, stored or waiting in quarantine (or retracted there).
                var served = a.View(PeerPermissions.SyncView(a.TierOf(b))!.Value);
                var missing = served.Where(id => !held[b].Stored.Contains(id) && !held[b].Quarantined.Contains(id) && !Retracted(b, id)).ToList();
                if (missing.Count > 0)
                {
                    problems.Add($"{Name(nodes, b)} lacks {missing.Count} of what {Name(nodes, a)} serves it");
                }

                if (a.TierOf(b) == TrustTier.Core && b.TierOf(a) == TrustTier.Core && !a.View(PacketScope.Core).SequenceEqual(b.View(PacketScope.Core)))
                {
                    problems.Add($"core peers {Name(nodes, a)} and {Name(nodes, b)} hold different core views");
                }
            }
        }

        foreach (var b in nodes)
        {
            using var reader = b.Store.OpenReader();
            foreach (var packet in reader.Packets.After(new PacketFilter(), 0, int.MaxValue).Where(p => p.Packet.Author != b.Id))
            {
                // No leak: a LOCAL packet never leaves its author; a CORE one reaches only a node some node serves a core view.
                if (packet.Packet.Scope == PacketScope.Local ||
                    packet.Packet.Scope == PacketScope.Core && !nodes.Any(a => a != b && a.TierOf(b) == TrustTier.Core && b.TierOf(a) == TrustTier.Core))
                {
                    problems.Add($"{Name(nodes, b)} holds {Convert.ToHexStringLower(packet.Packet.Id)[..8]} ({packet.Packet.Scope}) it may not have");
                }
            }
        }

        return problems;
    }

    private static bool Retracted(LabNode node, string id)
    {
        using var reader = node.Store.OpenReader();
        return reader.Sync.IsRetracted(Convert.FromHexString(id));
    }

    private static string Digest(IReadOnlyList<string> view) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(string.Concat(view))))[..16];

    private static string Name(List<LabNode> nodes, LabNode node) => $"n{nodes.IndexOf(node)}";

    private static string Name(List<LabNode> nodes, string id) => $"n{nodes.FindIndex(n => n.Id == id)}";

    // The scheduler's channels over the lab's in-memory network.
    private sealed class LabChannels(LabNode self, List<LabNode> nodes, Func<LabNode, bool> lose) : ISyncChannels
    {
        public Task<(ISyncPeer Peer, IDisposable? Owned)> OpenAsync(NodeId peer, CancellationToken cancellationToken)
        {
            var server = nodes.First(n => n.Identity.Id == peer);
            return Task.FromResult<(ISyncPeer, IDisposable?)>((self.Channel(server, () => lose(server)), null));
        }
    }
}
