using System.Buffers.Binary;
using System.Security.Cryptography;
using Node.Storage;
using Node.Storage.Packets;

namespace Node.Federation.Sync;

/// <summary>
/// A digest of a view (docs/protocol.md, "Knowledge sync"): SHA-256 over each packet of the view in
/// the order reconciliation uses — its HLC as 8 bytes big-endian, then its 32-byte id. Two nodes hold
/// the same view exactly when their digests are equal: what tests and operators compare.
/// </summary>
public static class ViewDigest
{
    /// <summary>The digest (lowercase hex) and size of the view <paramref name="lowest"/> and wider of <paramref name="store"/>.</summary>
    public static (string Digest, long Count) Of(NodeStore store, PacketScope lowest)
    {
        ArgumentNullException.ThrowIfNull(store);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> hlc = stackalloc byte[8];
        long count = 0;
        using var reader = store.OpenReader();
        foreach (var (time, id) in reader.Sync.Keys(lowest))
        {
            BinaryPrimitives.WriteInt64BigEndian(hlc, time);
            hash.AppendData(hlc);
            hash.AppendData(id);
            count++;
        }

        return (Convert.ToHexStringLower(hash.GetHashAndReset()), count);
    }
}
