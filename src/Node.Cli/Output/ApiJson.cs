using System.Globalization;
using System.Text.Json;
using Node.Protocol.Api;

namespace Node.Cli.Output;

/// <summary>
/// The JSON nodectl prints for each API message: camelCase names, enums as nodectl's words,
/// times as Unix milliseconds, ids as hex. docs/operator-manual.md lists the shapes.
/// </summary>
internal static partial class ApiJson
{
    /// <summary>The members of <c>status --json</c>.</summary>
    public static void WriteStatus(Utf8JsonWriter writer, NodeStatus status)
    {
        writer.WriteString("nodeId", status.NodeId);
        writer.WriteString("name", status.Name);
        writer.WriteString("version", status.Version);
        writer.WriteNumber("uptimeSeconds", Math.Round(status.UptimeSeconds, 3));
        writer.WriteNumber("pid", status.Pid);
        writer.WriteNumber("peerPort", status.PeerPort);
        writer.WriteString("certificateSha256", status.CertificateSha256);
        writer.WriteString("manifestSha256", status.ManifestSha256);
        var store = status.Store ?? new StoreStats();
        writer.WriteStartObject("store");
        writer.WriteNumber("packets", store.Packets);
        writer.WriteNumber("heldPackets", store.HeldPackets);
        writer.WriteNumber("corruptPackets", store.CorruptPackets);
        writer.WriteNumber("events", store.Events);
        writer.WriteNumber("databaseBytes", store.DatabaseBytes);
        writer.WriteString("epoch", store.Epoch);
        writer.WriteEndObject();
        writer.WriteStartArray("subsystems");
        foreach (var subsystem in status.Subsystems)
        {
            writer.WriteStartObject();
            writer.WriteString("name", subsystem.Name);
            writer.WriteString("state", subsystem.State);
            writer.WriteString("detail", subsystem.Detail);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>The members of <c>identity show --json</c>: <c>pending</c> is null when no rotation waits; <c>appliedAt</c> 0 while one waits.</summary>
    public static void WriteIdentity(Utf8JsonWriter writer, NodeIdentityInfo info)
    {
        writer.WriteString("nodeId", info.NodeId);
        writer.WriteString("publicKey", info.PublicKey);
        writer.WriteStartArray("rotations");
        foreach (var rotation in info.Rotations)
        {
            writer.WriteStartObject();
            WriteRotationMembers(writer, rotation);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        if (info.Pending is { } pending)
        {
            writer.WriteStartObject("pending");
            WriteRotationMembers(writer, pending);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("pending");
        }
    }

    /// <summary>The members of <c>identity rotate --json</c>: the ids now and from the next start, and <c>takesEffect</c> (<c>next-start</c>).</summary>
    public static void WriteRotation(Utf8JsonWriter writer, RotateIdentityReply reply)
    {
        writer.WriteString("oldNodeId", reply.OldNodeId);
        writer.WriteString("newNodeId", reply.NewNodeId);
        writer.WriteNumber("requestedAt", reply.RequestedAt);
        writer.WriteString("takesEffect", "next-start");
    }

    private static void WriteRotationMembers(Utf8JsonWriter writer, KeyRotationInfo rotation)
    {
        writer.WriteString("oldNodeId", rotation.OldNodeId);
        writer.WriteString("newNodeId", rotation.NewNodeId);
        writer.WriteNumber("requestedAt", rotation.RequestedAt);
        writer.WriteNumber("appliedAt", rotation.AppliedAt);
    }

    /// <summary>The members of <c>log verify --json</c>: <c>firstBadSeq</c> and <c>problem</c> only when the chain is broken; <c>corruptPackets</c>, stored packets marked corrupt (not part of the chain's verdict).</summary>
    public static void WriteVerification(Utf8JsonWriter writer, VerifyLogReply reply)
    {
        writer.WriteBoolean("intact", reply.Intact);
        writer.WriteNumber("verified", reply.Verified);
        writer.WriteNumber("headSeq", reply.HeadSeq);
        writer.WriteString("headHash", Convert.ToHexStringLower(reply.HeadHash.Span));
        writer.WriteNumber("corruptPackets", reply.CorruptPackets);
        if (!reply.Intact)
        {
            writer.WriteNumber("firstBadSeq", reply.FirstBadSeq);
            writer.WriteString("problem", reply.Problem);
        }
    }

    /// <summary>The members of <c>store scrub --json</c>: the counts and <c>corruptPackets</c> (id, seq, reason; at most 1000, <c>corrupt</c> counts all).</summary>
    public static void WriteScrub(Utf8JsonWriter writer, ScrubReply reply)
    {
        writer.WriteNumber("checked", reply.Checked);
        writer.WriteNumber("unverified", reply.Unverified);
        writer.WriteNumber("marked", reply.Marked);
        writer.WriteNumber("corrupt", reply.Corrupt);
        writer.WriteStartArray("corruptPackets");
        foreach (var packet in reply.CorruptPackets)
        {
            writer.WriteStartObject();
            writer.WriteString("id", packet.Id);
            writer.WriteNumber("seq", packet.Seq);
            writer.WriteString("reason", packet.Reason);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>
    /// A packet: every field; the content as <c>content</c> (a string) when its media type is
    /// text and it is UTF-8, else as <c>contentBase64</c>; <c>hlc</c> as a decimal string (it
    /// needs 64 bits, more than a JSON reader's double keeps).
    /// </summary>
    public static void WritePacket(Utf8JsonWriter writer, KnowledgePacket packet)
    {
        writer.WriteStartObject();
        writer.WriteString("id", packet.Id);
        writer.WriteNumber("seq", packet.Seq);
        writer.WriteString("author", packet.Author);
        writer.WriteString("topic", packet.Topic);
        writer.WriteString("key", packet.Key);
        writer.WriteString("kind", CliNames.Kinds.NameOf(packet.Kind));
        writer.WriteString("mediaType", packet.MediaType);
        if (Display.TryText(packet.MediaType, packet.Content.Span, out var text))
        {
            writer.WriteString("content", text);
        }
        else
        {
            writer.WriteBase64String("contentBase64", packet.Content.Span);
        }

        writer.WriteString("hlc", packet.Hlc.ToString(CultureInfo.InvariantCulture));
        writer.WriteNumber("time", packet.Time);
        writer.WriteNumber("receivedAt", packet.ReceivedAt);
        writer.WriteStrings("dependencies", packet.Dependencies);
        writer.WriteStrings("supersedes", packet.Supersedes);
        writer.WriteString("scope", CliNames.Scopes.NameOf(packet.Scope));
        writer.WriteString("origin", packet.Origin);
        writer.WriteStrings("contenders", packet.Contenders);
        writer.WriteBase64String("envelopeBase64", packet.Envelope.Span);
        writer.WriteEndObject();
    }

    /// <summary>A peer.</summary>
    public static void WritePeer(Utf8JsonWriter writer, Peer peer)
    {
        writer.WriteStartObject();
        writer.WriteString("nodeId", peer.NodeId);
        writer.WriteString("name", peer.Name);
        writer.WriteString("tier", CliNames.Tiers.NameOf(peer.Tier));
        writer.WriteStrings("addresses", peer.Addresses);
        writer.WriteString("source", peer.Source);
        writer.WriteNumber("firstSeenAt", peer.FirstSeenAt);
        writer.WriteNumber("lastSeenAt", peer.LastSeenAt);
        var link = peer.Link ?? new PeerLink();
        writer.WriteStartObject("link");
        writer.WriteString("state", link.State.Length > 0 ? link.State : "never");
        writer.WriteString("direction", link.Direction);
        writer.WriteNumber("rttUs", link.RttUs);
        writer.WriteNumber("lastHeartbeatAt", link.LastHeartbeatAt);
        writer.WriteNumber("since", link.Since);
        writer.WriteString("problem", link.Problem);
        writer.WriteNumber("problemAt", link.ProblemAt);
        writer.WriteString("problemKind", link.ProblemKind);
        if (link.HasClockSkewMs)
        {
            writer.WriteNumber("clockSkewMs", link.ClockSkewMs);
        }
        else
        {
            writer.WriteNull("clockSkewMs");
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>One peer with its verified manifest (<c>peers show --json</c>).</summary>
    public static void WritePeerDetail(Utf8JsonWriter writer, PeerDetail detail)
    {
        writer.WritePropertyName("peer");
        WritePeer(writer, detail.Peer ?? new Peer());
        writer.WriteString("rotatedTo", detail.RotatedTo);
        if (detail.Manifest is not { } m)
        {
            writer.WriteNull("manifest");
            return;
        }

        writer.WriteStartObject("manifest");
        writer.WriteString("name", m.Name);
        writer.WriteStrings("addresses", m.Addresses);
        writer.WriteNumber("peerPort", m.PeerPort);
        writer.WriteStrings("capabilities", m.Capabilities);
        writer.WriteString("softwareVersion", m.SoftwareVersion);
        writer.WriteString("certificateSha256", m.CertificateSha256);
        writer.WriteNumber("issuedAt", m.IssuedAt);
        writer.WriteNumber("expiresAt", m.ExpiresAt);
        writer.WriteString("manifestSha256", m.ManifestSha256);
        writer.WriteBoolean("validNow", m.ValidNow);
        writer.WriteEndObject();
    }

    /// <summary>What answered a discovery query.</summary>
    public static void WriteDiscovery(Utf8JsonWriter writer, DiscoverReply reply)
    {
        writer.WriteNumber("queriedAt", reply.QueriedAt);
        writer.WriteStartArray("peers");
        foreach (var peer in reply.Peers)
        {
            writer.WriteStartObject();
            writer.WriteString("instance", peer.Instance);
            writer.WriteString("nodeId", peer.NodeId);
            writer.WriteString("host", peer.Host);
            writer.WriteNumber("port", peer.Port);
            writer.WriteStrings("addresses", peer.Addresses);
            writer.WriteStartObject("txt");
            foreach (var (key, value) in peer.Txt.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
            writer.WriteString("interface", peer.InterfaceName);
            writer.WriteNumber("lastSeenAt", peer.LastSeenAt);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>Where discovery stands.</summary>
    public static void WriteDiagnosis(Utf8JsonWriter writer, DiagnoseReply reply)
    {
        writer.WriteBoolean("enabled", reply.Enabled);
        writer.WriteBoolean("running", reply.Running);
        writer.WriteString("instanceName", reply.InstanceName);
        writer.WriteString("hostName", reply.HostName);
        writer.WriteNumber("services", reply.Services);
        writer.WriteStartArray("links");
        foreach (var link in reply.Links)
        {
            writer.WriteStartObject();
            writer.WriteString("name", link.Name);
            writer.WriteNumber("index", link.Index);
            writer.WriteBoolean("joinedIpv4", link.JoinedIpv4);
            writer.WriteBoolean("joinedIpv6", link.JoinedIpv6);
            writer.WriteNumber("packetsSent", link.PacketsSent);
            writer.WriteNumber("packetsReceived", link.PacketsReceived);
            writer.WriteNumber("sendErrors", link.SendErrors);
            writer.WriteString("lastError", link.LastError);
            writer.WriteString("state", link.State);
            writer.WriteNumber("conflicts", link.Conflicts);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        var listener = reply.PeerListener ?? new PeerListenerState();
        writer.WriteStartObject("peerListener");
        writer.WriteNumber("port", listener.Port);
        writer.WriteNumber("connections", listener.Connections);
        writer.WriteStartObject("refusals");
        foreach (var (reason, count) in listener.Refusals.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            writer.WriteNumber(reason, count);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteStrings("hints", reply.Hints);
    }

    /// <summary>A decision; <c>explanation</c> is the node's JSON text, as a string.</summary>
    public static void WriteDecision(Utf8JsonWriter writer, Decision decision)
    {
        writer.WriteStartObject();
        writer.WriteString("id", decision.Id);
        writer.WriteString("type", decision.Type);
        writer.WriteString("status", CliNames.DecisionStatuses.NameOf(decision.Status));
        writer.WriteNumber("confidence", decision.Confidence);
        writer.WriteNumber("createdAt", decision.CreatedAt);
        writer.WriteNumber("decidedAt", decision.DecidedAt);
        writer.WriteString("decidedBy", decision.DecidedBy);
        writer.WriteString("reason", decision.Reason);
        writer.WriteString("explanation", decision.Explanation);
        writer.WriteString("subject", decision.Subject);
        writer.WriteEndObject();
    }

    /// <summary>The members of an event-log entry; <c>payload</c> is the entry's JSON text, as a string.</summary>
    public static void WriteLogEvent(Utf8JsonWriter writer, LogEvent entry)
    {
        writer.WriteNumber("seq", entry.Seq);
        writer.WriteNumber("time", entry.Time);
        writer.WriteString("kind", entry.Kind);
        writer.WriteString("payload", entry.Payload);
        writer.WriteString("hash", entry.Hash);
    }

    /// <summary>A backup's result.</summary>
    public static void WriteBackupResult(Utf8JsonWriter writer, BackupResult result)
    {
        writer.WriteStartObject();
        writer.WriteString("path", result.Path);
        writer.WriteNumber("createdAt", result.CreatedAt);
        writer.WriteNumber("schemaVersion", result.SchemaVersion);
        writer.WriteNumber("eventHeadSeq", result.EventHeadSeq);
        writer.WriteString("eventHeadHash", result.EventHeadHash);
        writer.WriteNumber("packets", result.Packets);
        writer.WriteNumber("bytes", result.Bytes);
        writer.WriteEndObject();
    }

    /// <summary>An API key (never its secret: the node does not keep it).</summary>
    public static void WriteApiKey(Utf8JsonWriter writer, ApiKey key)
    {
        writer.WriteStartObject();
        writer.WriteString("id", key.Id);
        writer.WriteString("scope", CliNames.ApiScopes.NameOf(key.Scope));
        writer.WriteString("name", key.Name);
        writer.WriteNumber("createdAt", key.CreatedAt);
        writer.WriteNumber("revokedAt", key.RevokedAt);
        writer.WriteEndObject();
    }

    /// <summary>
    /// The members of one <c>observe --json</c> line: subject, time (Unix seconds), date, rejected (or null), features,
    /// findings, conclusion (or null), decisionId and verdict (or null).
    /// </summary>
    public static void WriteObservation(Utf8JsonWriter writer, ObserveReply reply)
    {
        writer.WriteString("subject", reply.Subject);
        writer.WriteNumber("time", reply.Time);
        writer.WriteString("date", Display.BarTime(reply.Time));
        NullableString(writer, "rejected", reply.Rejected);
        writer.WriteStartObject("features");
        foreach (var feature in reply.Features.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            writer.WriteNumber(feature.Key, feature.Value);
        }

        writer.WriteEndObject();
        writer.WriteStartArray("findings");
        foreach (var finding in reply.Findings)
        {
            writer.WriteStartObject();
            writer.WriteString("reasoner", finding.Reasoner);
            writer.WriteString("kind", finding.Kind);
            writer.WriteNumber("direction", finding.Direction);
            writer.WriteNumber("confidence", finding.Confidence);
            writer.WriteNumber("level", finding.Level);
            writer.WriteNumber("evidence", finding.Evidence);
            if (finding.Resource.Length > 0)
            {
                writer.WriteString("resource", finding.Resource);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        if (reply.Conclusion is { } conclusion)
        {
            writer.WriteStartObject("conclusion");
            writer.WriteString("claim", conclusion.Claim);
            writer.WriteNumber("direction", conclusion.Direction);
            writer.WriteNumber("confidence", conclusion.Confidence);
            writer.WriteNumber("score", conclusion.Score);
            writer.WriteStartObject("stages");
            foreach (var stage in conclusion.Stages)
            {
                writer.WriteNumber(stage.Key, stage.Value);
            }

            writer.WriteEndObject();
            writer.WriteBoolean("conflict", conclusion.Conflict);
            NullableString(writer, "decisionType", conclusion.DecisionType);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("conclusion");
        }

        NullableString(writer, "decisionId", reply.DecisionId);
        NullableString(writer, "verdict", reply.Verdict);
    }

    /// <summary>The members of <c>reason status --json</c>.</summary>
    public static void WriteReasoningStatus(Utf8JsonWriter writer, ReasoningStatus status)
    {
        writer.WriteString("depth", status.Depth);
        writer.WriteNumber("cycles", status.Cycles);
        writer.WriteNumber("rejected", status.Rejected);
        writer.WriteNumber("subjects", status.Subjects);
        writer.WriteNumber("conclusions", status.Conclusions);
        writer.WriteNumber("conflicts", status.Conflicts);
        writer.WriteNumber("decisions", status.Decisions);
        writer.WriteStartArray("reasoners");
        foreach (var reasoner in status.Reasoners)
        {
            writer.WriteStartObject();
            writer.WriteString("name", reasoner.Name);
            writer.WriteNumber("runs", reasoner.Runs);
            writer.WriteNumber("findings", reasoner.Findings);
            writer.WriteNumber("meanConfidence", reasoner.MeanConfidence);
            writer.WriteNumber("meanLatencyUs", reasoner.MeanLatencyUs);
            writer.WriteNumber("lastRunAt", reasoner.LastRunAt);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        var latency = status.Latency ?? new ObservationLatency();
        writer.WriteStartObject("latency");
        writer.WriteNumber("observations", latency.Observations);
        writer.WriteNumber("meanUs", latency.MeanUs);
        writer.WriteNumber("p50Us", latency.P50Us);
        writer.WriteNumber("p99Us", latency.P99Us);
        writer.WriteNumber("maxUs", latency.MaxUs);
        writer.WriteEndObject();
        var calibration = status.Calibration ?? new CalibrationStatus();
        writer.WriteStartObject("calibration");
        writer.WriteNumber("outcomes", calibration.Outcomes);
        writer.WriteNumber("held", calibration.Held);
        writer.WriteNumber("brier", calibration.Brier);
        writer.WriteNumber("baseRateBrier", calibration.BaseRateBrier);
        writer.WriteNumber("ece", calibration.Ece);
        writer.WriteString("method", calibration.Method);
        writer.WriteNumber("reflections", calibration.Reflections);
        writer.WriteEndObject();
        writer.WriteStartObject("automatic");
        WriteAutomatic(writer, status.Automatic ?? new AutomaticApproval());
        writer.WriteEndObject();
    }

    /// <summary>The members of the guardian stop's state: stopped, stoppedBy, stoppedAt (Unix ms, 0 when not stopped), reason.</summary>
    public static void WriteAutomatic(Utf8JsonWriter writer, AutomaticApproval automatic)
    {
        writer.WriteBoolean("stopped", automatic.Stopped);
        writer.WriteString("stoppedBy", automatic.StoppedBy);
        writer.WriteNumber("stoppedAt", automatic.StoppedAt);
        writer.WriteString("reason", automatic.Reason);
    }

    private static void NullableString(Utf8JsonWriter writer, string name, string value)
    {
        if (value.Length > 0)
        {
            writer.WriteString(name, value);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
