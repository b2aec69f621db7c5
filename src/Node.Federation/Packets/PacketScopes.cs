using Node.Protocol.Packets;
using Node.Storage.Packets;

namespace Node.Federation.Packets;

/// <summary>The wire's share scope and the store's: unspecified is LOCAL, the most restrictive.</summary>
public static class PacketScopes
{
    /// <summary>The store's scope of <paramref name="scope"/>.</summary>
    public static PacketScope Of(ShareScope scope) => scope switch
    {
        ShareScope.Core => PacketScope.Core,
        ShareScope.Shareable => PacketScope.Shareable,
        _ => PacketScope.Local,
    };
}
