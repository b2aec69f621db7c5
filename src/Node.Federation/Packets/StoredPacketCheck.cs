using Node.Protocol.Packets;

namespace Node.Federation.Packets;

/// <summary>What checking a stored packet found.</summary>
public enum StoredPacketState
{
    /// <summary>Its bytes verify: id, shape, limits, the columns it is found by, and (when checked) the author's signature.</summary>
    Sound,

    /// <summary>Everything but the signature verifies; the author's key is not known here, so the signature could not be checked.</summary>
    Unverified,

    /// <summary>Its bytes no longer verify: it must not be served or synced.</summary>
    Corrupt,
}

/// <summary>The verdict on one stored packet.</summary>
/// <param name="State">What was found.</param>
/// <param name="Body">Its decoded body, unless it is corrupt.</param>
/// <param name="Reason">Why it is corrupt (or unverified); null when sound.</param>
public readonly record struct StoredPacketCheck(StoredPacketState State, PacketBody? Body, string? Reason)
{
    /// <summary>Whether it may be served: sound or unverified.</summary>
    public bool IsIntact => State != StoredPacketState.Corrupt;
}
