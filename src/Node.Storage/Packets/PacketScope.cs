namespace Node.Storage.Packets;

/// <summary>
/// Who may receive a packet (packet.proto <c>ShareScope</c>, same numbers). Views are "this scope
/// and wider": a core peer's view is <see cref="Core"/> and up, a sandbox peer's <see cref="Shareable"/>.
/// </summary>
public enum PacketScope
{
    /// <summary>Never leaves this node.</summary>
    Local = 1,

    /// <summary>Core peers only.</summary>
    Core = 2,

    /// <summary>Core and sandbox peers.</summary>
    Shareable = 3,
}
