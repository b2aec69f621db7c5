namespace Node.Storage.Packets;

/// <summary>Which stored packets a listing or a watch wants; null fields match everything.</summary>
/// <param name="Topic">Exactly this topic.</param>
/// <param name="Key">Exactly this key.</param>
/// <param name="Kind">Exactly this kind (observation, note, …).</param>
/// <param name="Author">Exactly this author (node id as written).</param>
public sealed record PacketFilter(string? Topic = null, string? Key = null, string? Kind = null, string? Author = null)
{
    /// <summary>Matches every packet.</summary>
    public static PacketFilter All { get; } = new();
}
