using Node.Protocol.Packets;
using Node.Storage.Packets;

namespace Node.Federation.Packets;

/// <summary>A stored packet whose bytes checked out as it was read, with its decoded body.</summary>
/// <param name="Stored">The packet as stored.</param>
/// <param name="Body">Its body.</param>
public sealed record ServedPacket(StoredPacket Stored, PacketBody Body);
