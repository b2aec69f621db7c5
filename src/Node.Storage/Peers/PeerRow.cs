namespace Node.Storage.Peers;

/// <summary>A peer as the store keeps it (tables <c>peers</c> and <c>static_peers</c>).</summary>
/// <param name="NodeId">Its node id; empty for a static address whose node id is not known yet.</param>
/// <param name="Name">Its name, or empty.</param>
/// <param name="Tier">Its trust tier as stored: core, sandbox, external or unknown.</param>
/// <param name="Addresses">Where it was found and the static addresses given for it, host:port, without repeats.</param>
/// <param name="Source">mdns or static.</param>
/// <param name="FirstSeen">When it was first recorded, Unix ms.</param>
/// <param name="LastSeen">When it was last seen, Unix ms; 0 for never.</param>
public sealed record PeerRow(string NodeId, string Name, string Tier, IReadOnlyList<string> Addresses, string Source, long FirstSeen, long LastSeen);
