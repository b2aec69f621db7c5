namespace Node.Federation.Packets;

/// <summary>What checking a packet found. Everything but <see cref="Valid"/> means it is refused.</summary>
public enum PacketOutcome
{
    /// <summary>Well-formed, within limits, signed by its author.</summary>
    Valid,

    /// <summary>Not a parseable envelope or body, or a required field is missing or ill-formed.</summary>
    Malformed,

    /// <summary>Over one of <see cref="PacketLimits"/>.</summary>
    Oversize,

    /// <summary>A payload type (version) this node does not understand.</summary>
    UnknownVersion,

    /// <summary>The payload does not hash to the id it was offered under.</summary>
    BadHash,

    /// <summary>No signature by the author.</summary>
    NotSignedByAuthor,

    /// <summary>The author's public key is not known here.</summary>
    UnknownKey,

    /// <summary>The author's signature does not verify.</summary>
    BadSignature,
}
