namespace Node.Federation.Packets;

/// <summary>Packet ids compared by their bytes.</summary>
internal sealed class IdComparer : IEqualityComparer<byte[]>
{
    public static readonly IdComparer Instance = new();

    public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

    // Randomized per process: a dependency id is whatever its author wrote, so it must not choose the bucket.
    public int GetHashCode(byte[] obj)
    {
        var hash = new HashCode();
        hash.AddBytes(obj);
        return hash.ToHashCode();
    }
}
