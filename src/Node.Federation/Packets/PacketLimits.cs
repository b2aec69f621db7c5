namespace Node.Federation.Packets;

/// <summary>
/// The bounds every packet must keep, checked before anything else is done with it (docs/protocol.md).
/// A packet over any of them is refused as <see cref="PacketOutcome.Oversize"/>.
/// </summary>
public static class PacketLimits
{
    /// <summary>Largest envelope accepted: 320 KiB.</summary>
    public const int MaxEnvelopeBytes = 320 * 1024;

    /// <summary>Largest payload (serialized body): 288 KiB.</summary>
    public const int MaxPayloadBytes = 288 * 1024;

    /// <summary>Largest content: 256 KiB.</summary>
    public const int MaxContentBytes = 256 * 1024;

    /// <summary>Most signatures on one envelope.</summary>
    public const int MaxSignatures = 4;

    /// <summary>Most ids in each of dependencies, supersedes and derived-from.</summary>
    public const int MaxReferences = 64;

    /// <summary>Longest topic or key, in UTF-8 bytes.</summary>
    public const int MaxSlotBytes = 256;

    /// <summary>Longest media type or payload type, in UTF-8 bytes.</summary>
    public const int MaxTypeBytes = 128;

    /// <summary>Longest node id field (author, origin, key id), in UTF-8 bytes.</summary>
    public const int MaxNodeIdBytes = 64;
}
