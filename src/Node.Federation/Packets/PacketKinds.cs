using Node.Protocol.Packets;

namespace Node.Federation.Packets;

/// <summary>Packet kinds by the names the store indexes them under.</summary>
public static class PacketKinds
{
    /// <summary>The stored name of <paramref name="kind"/> (observation, note, …).</summary>
    public static string Name(PacketKind kind) => kind switch
    {
        PacketKind.Observation => "observation",
        PacketKind.Insight => "insight",
        PacketKind.Summary => "summary",
        PacketKind.Decision => "decision",
        PacketKind.Manifest => "manifest",
        PacketKind.Note => "note",
        PacketKind.Retraction => "retraction",
        _ => "unspecified",
    };
}
