using System.Text.Json;
using Microsoft.Data.Sqlite;
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

    /// <summary>The event a guardian stop of all automatic action appends.</summary>
    public const string AutomaticStopped = "decision.automatic_stopped";

    /// <summary>The event lifting the guardian stop appends.</summary>
    public const string AutomaticResumed = "decision.automatic_resumed";

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
        var stops = GuardianStops(reader, since);
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
            StartedAt = EventLog.LastOfKind(reader, EventKinds.NodeStarted) is { } started
                ? DateTimeOffset.FromUnixTimeMilliseconds(started.Time)
                : now,
            Decisions = Decisions(reader, since),
            DecisionTypes = [.. host.Matrix.Policy.Rules.Select(r => new AuditDecisionType(r.Type, r.Threshold, r.MaxAutoPerHour))],
            GuardianStops = stops,
            GuardianVerdicts = Verdicts(reader, since),
            Cycles = status.Cycles,
            LastReflectionCycle = status.Calibration.LastReflectionCycle,
            Reasoners = [.. status.Reasoners.Select(r => new ReasonerActivity(r.Reasoner, r.LastRunAt))],
            Conclusions = status.Conclusions,
            AletheiaConflicts = status.Conflicts,
            RecallAttempts = [.. status.RecallAttempts.Select(a => new RecallAttempt(a.At, a.Error))],
            EventLogVerified = chain.IsIntact,
            EventLogFirstBadSequence = chain.FirstBadSeq,
            LastCompactionAt = EventLog.LastOfKind(reader, EventKinds.MemoryCompacted) is { } compacted
                ? DateTimeOffset.FromUnixTimeMilliseconds(compacted.Time)
                : null,
            OldestConclusionDetailAt = Scalar(reader, "SELECT MIN(time) FROM memory WHERE kind = 'conclusion'") is long oldest
                ? DateTimeOffset.FromUnixTimeMilliseconds(oldest)
                : null,
            SchemaVersion = (int)(long)Scalar(reader, "PRAGMA user_version")!,
            LatestSchemaVersion = Migrations.Latest,
            StoreCheck = Scalar(reader, "PRAGMA quick_check(1)") as string ?? "no answer",
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
            QuarantineCount = (int)(long)Scalar(reader, "SELECT COUNT(*) FROM quarantine")!,
            HlcPhysicalTime = DateTimeOffset.FromUnixTimeMilliseconds(clock.Now().UnixMilliseconds),
        };
    }

    // Decisions created or decided in the period, and every pending one whatever its age.
    private static List<AuditDecision> Decisions(SqliteConnection reader, DateTimeOffset since)
    {
        using var command = reader.CreateCommand();
        command.CommandText = """
            SELECT d.id, d.type, d.status, d.confidence, d.created_at, d.decided_at, d.decided_by, d.explanation,
                   EXISTS (SELECT 1 FROM packets p WHERE p.topic = 'decisions' AND p.key = d.id)
            FROM decisions d
            WHERE d.status = $pending OR d.created_at >= $since OR d.decided_at >= $since
            ORDER BY d.created_at, d.id
            """;
        command.Parameters.AddWithValue("$pending", DecisionStatuses.Pending);
        command.Parameters.AddWithValue("$since", since.ToUnixTimeMilliseconds());
        var decisions = new List<AuditDecision>();
        using var rows = command.ExecuteReader();
        while (rows.Read())
        {
            var status = rows.GetString(2);
            decisions.Add(new AuditDecision(
                rows.GetString(0), rows.GetString(1),
                status switch
                {
                    DecisionStatuses.Pending => AuditDecisionState.Pending,
                    DecisionStatuses.Rejected => AuditDecisionState.Rejected,
                    _ => AuditDecisionState.Approved,
                },
                status == DecisionStatuses.AutoApproved,
                rows.IsDBNull(3) ? double.NaN : rows.GetDouble(3),
                ExplanationSteps(rows.GetValue(7)),
                rows.GetInt64(8) != 0,
                DateTimeOffset.FromUnixTimeMilliseconds(rows.GetInt64(4)),
                rows.IsDBNull(5) ? null : DateTimeOffset.FromUnixTimeMilliseconds(rows.GetInt64(5)),
                rows.IsDBNull(6) ? null : rows.GetString(6)));
        }

        return decisions;
    }

    /// <summary>The findings and stages of an explanation chain (the decision recorder's JSON); 0 when empty or unreadable.</summary>
    internal static int ExplanationSteps(object? explanation)
    {
        var bytes = explanation switch
        {
            byte[] blob => blob,
            string text => System.Text.Encoding.UTF8.GetBytes(text),
            _ => [],
        };
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
    private static List<GuardianStop> GuardianStops(SqliteConnection reader, DateTimeOffset since)
    {
        using var command = reader.CreateCommand();
        command.CommandText = "SELECT time, kind FROM events WHERE kind IN ($stopped, $resumed) ORDER BY seq";
        command.Parameters.AddWithValue("$stopped", AutomaticStopped);
        command.Parameters.AddWithValue("$resumed", AutomaticResumed);
        var stops = new List<GuardianStop>();
        DateTimeOffset? from = null;
        using (var rows = command.ExecuteReader())
        {
            while (rows.Read())
            {
                var at = DateTimeOffset.FromUnixTimeMilliseconds(rows.GetInt64(0));
                if (rows.GetString(1) == AutomaticStopped)
                {
                    from ??= at;
                }
                else if (from is { } start)
                {
                    stops.Add(new GuardianStop(start, at));
                    from = null;
                }
            }
        }

        if (from is { } open)
        {
            stops.Add(new GuardianStop(open, null));
        }

        return [.. stops.Where(s => s.Until is null || s.Until >= since)];
    }

    // Guardian verdicts in the period: decision verdicts and trust-tier changes, with who gave them and why.
    private static List<GuardianVerdict> Verdicts(SqliteConnection reader, DateTimeOffset since)
    {
        using var command = reader.CreateCommand();
        command.CommandText = "SELECT kind, payload FROM events WHERE kind IN ($decided, $trust) AND time >= $since ORDER BY seq";
        command.Parameters.AddWithValue("$decided", EventKinds.DecisionDecided);
        command.Parameters.AddWithValue("$trust", EventKinds.PeerTrustChanged);
        command.Parameters.AddWithValue("$since", since.ToUnixTimeMilliseconds());
        var verdicts = new List<GuardianVerdict>();
        using var rows = command.ExecuteReader();
        while (rows.Read())
        {
            var decided = rows.GetString(0) == EventKinds.DecisionDecided;
            var payload = (byte[])rows[1];
            verdicts.Add(new GuardianVerdict(
                Field(payload, decided ? "id" : "node") ?? "(unnamed)",
                Field(payload, decided ? "guardian" : "by"),
                Field(payload, "reason")));
        }

        return verdicts;
    }

    private static string? Field(byte[] payload, string name)
    {
        try
        {
            using var json = JsonDocument.Parse(payload);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty(name, out var value)
                ? value.ToString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static object? Scalar(SqliteConnection reader, string sql)
    {
        using var command = reader.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar() is var value && value is DBNull ? null : value;
    }
}
