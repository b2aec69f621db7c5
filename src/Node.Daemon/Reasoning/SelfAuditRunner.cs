using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Node.Daemon.Health;
using Node.Daemon.Systemd;
using Node.Federation.Clock;
using Node.Federation.Identity;
using Node.Federation.Peers;
using Node.Reasoning;
using Node.Reasoning.Audit;
using Node.Storage;
using Node.Storage.Decisions;
using Node.Storage.Events;
using Node.Storage.Events.Payloads;
using Node.Storage.Schema;

namespace Node.Daemon.Reasoning;

/// <summary>
/// The HRM self-audit over the live node: gathers an <see cref="AuditSnapshot"/> from the store, the event log,
/// the reasoning host, the watchdog's loop registry, the identity, the peer registry and the clock, and runs
/// <see cref="SelfAudit.Run"/> on it. Read-only, except that reading the hybrid logical clock issues a timestamp.
/// </summary>
internal sealed class SelfAuditRunner(NodeStore store, ReasoningHost host, CriticalLoops loops,
    PeerRegistry peers, SystemdEnvironment systemd, IOptions<ReasoningOptions> reasoning, IOptions<MemoryOptions> memory,
    HybridClock clock, TimeProvider time)
{
    /// <summary>The window of the audited lists (decisions, verdicts, guardian stops, active peers): the last 24 hours.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromHours(24);

    /// <summary>The limits the live node is judged against: the defaults, with the node's own schedules.</summary>
    public AuditBounds Bounds { get; } = AuditBounds.Default with
    {
        LoopProgressMaxAge = systemd.WatchdogTimeout ?? AuditBounds.Default.LoopProgressMaxAge,
        ReflectionEveryCycles = reasoning.Value.ReflectionInterval,
        CompactionMaxAge = memory.Value.CompactionInterval + TimeSpan.FromHours(1),
        ConclusionDetailRetention = memory.Value.Retention,
    };

    /// <summary>Gathers the snapshot and audits it.</summary>
    public async Task<AuditReport> RunAsync(CancellationToken cancellationToken) =>
        SelfAudit.Run(await GatherAsync(cancellationToken).ConfigureAwait(false), Bounds);

    /// <summary>The node's live state, as the audit reads it.</summary>
    public async Task<AuditSnapshot> GatherAsync(CancellationToken cancellationToken)
    {
        var status = await host.GetStatusAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var since = now - Period;
        var nodeStore = store;
        var chain = nodeStore.VerifyEventLog();
        using var reader = nodeStore.OpenReader();
        var stops = GuardianStops(reader.Events.OfKinds(EventKinds.DecisionAutomaticStopped, EventKinds.DecisionAutomaticResumed), since);
        if (host.Matrix.IsStopped && (stops.Count == 0 || stops[^1].Until is not null))
        {
            // The matrix is the authority on whether the stop is on now, whatever the log says.
            stops.Add(new GuardianStop(host.Matrix.StoppedAt ?? now, null));
        }

        (double? Shallow, double? Moderate, double? Deep) p99 = default;
        if (status.Latency.Observations > 0)
        {
            var value = status.Latency.P99Microseconds;
            p99 = status.Depth switch
            {
                Depth.Shallow => (value, null, null),
                Depth.Moderate => (null, value, null),
                _ => (null, null, value),
            };
        }

        return new AuditSnapshot
        {
            Now = now,
            // This run's node.started event: NodeClock is made on first use, not at start.
            StartedAt = reader.Events.LastOfKind(EventKinds.NodeStarted) is { } started
                ? DateTimeOffset.FromUnixTimeMilliseconds(started.Time)
                : now,
            Decisions = [.. reader.Decisions.ForAudit(since.ToUnixTimeMilliseconds()).Select(d => Decision(d.Decision, d.HasPacket))],
            DecisionTypes = [.. host.Matrix.Policy.Rules.Select(r => new AuditDecisionType(r.Type, r.Threshold, r.MaxAutoPerHour))],
            GuardianStops = stops,
            GuardianVerdicts = Verdicts(reader.Events.OfKinds(EventKinds.DecisionDecided, EventKinds.PeerTrustChanged, since.ToUnixTimeMilliseconds())),
            Cycles = status.Cycles,
            LastReflectionCycle = status.Calibration.LastReflectionCycle,
            Reasoners = [.. status.Reasoners.Select(r => new ReasonerActivity(r.Reasoner, r.LastRunAt))],
            Conclusions = status.Conclusions,
            AletheiaConflicts = status.Conflicts,
            RecallAttempts = [.. status.RecallAttempts.Select(a => new RecallAttempt(a.At, a.Error))],
            EventLogVerified = chain.IsIntact,
            EventLogFirstBadSequence = chain.FirstBadSeq,
            LastCompactionAt = reader.Events.LastOfKind(EventKinds.MemoryCompacted) is { } compacted
                ? DateTimeOffset.FromUnixTimeMilliseconds(compacted.Time)
                : null,
            OldestConclusionDetailAt = reader.Memory.OldestTime(ConclusionLog.Kind) is { } oldest
                ? DateTimeOffset.FromUnixTimeMilliseconds(oldest)
                : null,
            SchemaVersion = reader.Store.SchemaVersion(),
            LatestSchemaVersion = Migrations.Latest,
            StoreCheck = reader.Store.QuickCheck(1),
            CorruptPackets = reader.Packets.CorruptCount(),
            ShallowP99Microseconds = p99.Shallow,
            ModerateP99Microseconds = p99.Moderate,
            DeepP99Microseconds = p99.Deep,
            CalibrationOutcomes = status.Calibration.Outcomes,
            CalibrationError = status.Calibration.ExpectedCalibrationError,
            CriticalLoops = [.. loops.Registered.Select(l => new CriticalLoopProgress(l.Name, now - l.Silence))],
            IdentityKeyFileMode = File.GetUnixFileMode(Path.Combine(store.Directory, NodeIdentity.FileName)),
            ActivePeers = [.. peers.List()
                .Where(p => p.NodeId.Length > 0 && p.LastSeenAt >= since.ToUnixTimeMilliseconds())
                .Select(p => new AuditPeer(p.NodeId, PeerRegistry.TierName(p.Tier)))],
            // The node does not issue a signed manifest of its own yet (nothing calls PeerManifests.Sign): with no
            // manifest there is nothing that verifies, and the check says so until one is issued.
            ManifestIssued = false,
            ManifestSignatureValid = false,
            ManifestExpiresAt = now,
            QuarantineCount = (int)reader.Packets.QuarantinedCount(),
            HlcPhysicalTime = DateTimeOffset.FromUnixTimeMilliseconds(clock.Now().UnixMilliseconds),
        };
    }

    private static AuditDecision Decision(DecisionRecord decision, bool hasPacket) => new(
        decision.Id, decision.Type,
        decision.Status switch
        {
            DecisionStatuses.Pending => AuditDecisionState.Pending,
            DecisionStatuses.Rejected => AuditDecisionState.Rejected,
            _ => AuditDecisionState.Approved,
        },
        decision.Status == DecisionStatuses.AutoApproved,
        decision.Confidence,
        ExplanationSteps(decision.Explanation),
        hasPacket,
        DateTimeOffset.FromUnixTimeMilliseconds(decision.CreatedAt),
        decision.DecidedAt is { } decided ? DateTimeOffset.FromUnixTimeMilliseconds(decided) : null,
        decision.DecidedBy);

    /// <summary>The findings and stages of an explanation chain (the decision recorder's JSON); 0 when empty or unreadable.</summary>
    internal static int ExplanationSteps(string explanation)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(explanation);
        if (bytes.Length == 0)
        {
            return 0;
        }

        try
        {
            using var json = JsonDocument.Parse(bytes);
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                return 0;
            }

            var steps = 0;
            foreach (var name in (ReadOnlySpan<string>)["findings", "stages"])
            {
                if (json.RootElement.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array)
                {
                    steps += array.EnumerateArray().Count(e => e.ValueKind == JsonValueKind.Object && e.EnumerateObject().Any());
                }
            }

            return steps;
        }
        catch (JsonException)
        {
            return 0;
        }
    }

    // Stop/resume events in log order, paired into intervals; those overlapping the period are kept.
    private static List<GuardianStop> GuardianStops(IReadOnlyList<EventEntry> events, DateTimeOffset since)
    {
        var stops = new List<GuardianStop>();
        DateTimeOffset? from = null;
        foreach (var entry in events)
        {
            var at = DateTimeOffset.FromUnixTimeMilliseconds(entry.Time);
            if (entry.Kind == EventKinds.DecisionAutomaticStopped)
            {
                from ??= at;
            }
            else if (from is { } start)
            {
                stops.Add(new GuardianStop(start, at));
                from = null;
            }
        }

        if (from is { } open)
        {
            stops.Add(new GuardianStop(open, null));
        }

        return [.. stops.Where(s => s.Until is null || s.Until >= since)];
    }

    // Guardian verdicts: decision verdicts and trust-tier changes, with who gave them and why; one
    // whose payload does not read counts as a verdict nobody explained.
    private static List<GuardianVerdict> Verdicts(IReadOnlyList<EventEntry> events) =>
    [
        .. events.Select(entry =>
            entry.TryRead<DecisionDecidedEvent>(out var decided) ? new GuardianVerdict(decided.Id, decided.Guardian, decided.Reason)
            : entry.TryRead<PeerTrustChangedEvent>(out var trust) ? new GuardianVerdict(trust.Node, trust.By, trust.Reason)
            : new GuardianVerdict("(unnamed)", null, null)),
    ];
}
