using System.Text.Json;
using Node.Protocol.Api;

namespace Node.Cli.Output;

/// <summary>The JSON of knowledge sync and quarantine.</summary>
internal static partial class ApiJson
{
    /// <summary>
    /// The members of <c>federation status --json</c> (and <c>auto-sync</c>): <c>autoSync</c>, this
    /// node's <c>epoch</c> and <c>lastSeq</c>, the digests of the views it serves (<c>coreView</c>,
    /// <c>shareableView</c>: <c>{digest, packets}</c>), and a row per peer (<see cref="WritePeerSync"/>).
    /// </summary>
    public static void WriteSyncStatus(Utf8JsonWriter writer, SyncStatus status)
    {
        writer.WriteBoolean("autoSync", status.AutoSync);
        writer.WriteString("epoch", status.Epoch);
        writer.WriteNumber("lastSeq", status.LastSeq);
        WriteView(writer, "coreView", status.CoreView);
        WriteView(writer, "shareableView", status.ShareableView);
        writer.WriteStartArray("peers");
        foreach (var peer in status.Peers)
        {
            WritePeerSync(writer, peer);
        }

        writer.WriteEndArray();
    }

    /// <summary>
    /// One peer's sync: times in Unix ms (0: never), <c>phase</c> as the API says it
    /// (<c>idle</c>, <c>catching_up</c>, <c>reconciling</c>, <c>fetching</c>), <c>toReceive</c> and
    /// <c>toSend</c> null while unknown, <c>receiveRate</c> in packets per second (0 when unknown),
    /// <c>rounds</c> ended with it since the node started.
    /// </summary>
    public static void WritePeerSync(Utf8JsonWriter writer, PeerSync peer)
    {
        writer.WriteStartObject();
        writer.WriteString("nodeId", peer.NodeId);
        writer.WriteString("tier", CliNames.Tiers.NameOf(peer.Tier));
        writer.WriteString("link", peer.Link.Length > 0 ? peer.Link : "never");
        writer.WriteString("phase", peer.Phase);
        writer.WriteString("view", peer.View);
        writer.WriteNumber("roundStartedAt", peer.RoundStartedAt);
        writer.WriteNumber("lastRoundEndedAt", peer.LastRoundEndedAt);
        writer.WriteString("lastRoundResult", peer.LastRoundResult);
        writer.WriteString("lastRoundKind", peer.LastRoundKind);
        writer.WriteNumber("packetsReceived", peer.PacketsReceived);
        writer.WriteNumber("bytesReceived", peer.BytesReceived);
        writer.WriteNumber("packetsSent", peer.PacketsSent);
        writer.WriteNumber("bytesSent", peer.BytesSent);
        writer.WriteNumber("refused", peer.Refused);
        WriteCount(writer, "toReceive", peer.HasToReceive ? peer.ToReceive : null);
        WriteCount(writer, "toSend", peer.HasToSend ? peer.ToSend : null);
        writer.WriteNumber("receiveRate", Math.Round(peer.ReceiveRate, 3));
        writer.WriteNumber("rounds", peer.Rounds);
        writer.WriteEndObject();
    }

    /// <summary>What <c>federation sync</c> asked for: <c>requestedAt</c> and the <c>nodeIds</c> of the peers asked.</summary>
    public static void WriteSyncRequest(Utf8JsonWriter writer, SyncReply reply)
    {
        writer.WriteNumber("requestedAt", reply.RequestedAt);
        writer.WriteStrings("nodeIds", reply.NodeIds);
    }

    /// <summary>A packet in quarantine: the packet (<see cref="WritePacket"/>, seq 0), <c>fromPeer</c>, <c>receivedAt</c>, <c>reason</c>.</summary>
    public static void WriteQuarantined(Utf8JsonWriter writer, QuarantinedPacket held)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("packet");
        WritePacket(writer, held.Packet ?? new KnowledgePacket());
        writer.WriteString("fromPeer", held.FromPeer);
        writer.WriteNumber("receivedAt", held.ReceivedAt);
        writer.WriteString("reason", held.Reason);
        writer.WriteEndObject();
    }

    private static void WriteView(Utf8JsonWriter writer, string name, ViewSummary? view)
    {
        if (view is null)
        {
            writer.WriteNull(name);
            return;
        }

        writer.WriteStartObject(name);
        writer.WriteString("digest", view.Digest);
        writer.WriteNumber("packets", view.Packets);
        writer.WriteEndObject();
    }

    private static void WriteCount(Utf8JsonWriter writer, string name, long? count)
    {
        if (count is { } n)
        {
            writer.WriteNumber(name, n);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
