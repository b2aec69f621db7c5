using Node.Federation.Trust;

namespace Node.Federation.Peers;

/// <summary>A peer as the node knows it.</summary>
/// <param name="NodeId">Its node id as written; empty for a static peer not contacted yet.</param>
/// <param name="Name">Its name, when known.</param>
/// <param name="Tier">How far it is trusted.</param>
/// <param name="Addresses">Where it may be reached.</param>
/// <param name="Source"><c>static</c> or <c>mdns</c>.</param>
/// <param name="FirstSeenAt">When it was first added or seen, Unix ms.</param>
/// <param name="LastSeenAt">When it was last seen, Unix ms; 0 when never.</param>
public sealed record PeerEntry(string NodeId, string Name, TrustTier Tier, IReadOnlyList<string> Addresses, string Source, long FirstSeenAt, long LastSeenAt);
