using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Node.Storage.Events;

/// <summary>
/// The hash that chains the event log: SHA-256 over
/// <c>prev_hash (32) ‖ seq (int64 BE) ‖ time (int64 BE) ‖ len(kind) (int32 BE) ‖ kind (UTF-8) ‖ len(payload) (int32 BE) ‖ payload</c>.
/// Lengths make the encoding unambiguous; the sequence makes entries position-bound.
/// </summary>
public static class EventChain
{
    /// <summary>The previous hash of the first entry.</summary>
    public static ReadOnlySpan<byte> Genesis => new byte[32];

    /// <summary>The hash of an entry.</summary>
    public static byte[] Hash(ReadOnlySpan<byte> prevHash, long seq, long time, string kind, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(kind);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> header = stackalloc byte[8 + 8 + 4];
        hash.AppendData(prevHash);
        BinaryPrimitives.WriteInt64BigEndian(header, seq);
        BinaryPrimitives.WriteInt64BigEndian(header[8..], time);
        var kindBytes = Encoding.UTF8.GetBytes(kind);
        BinaryPrimitives.WriteInt32BigEndian(header[16..], kindBytes.Length);
        hash.AppendData(header);
        hash.AppendData(kindBytes);
        BinaryPrimitives.WriteInt32BigEndian(header[..4], payload.Length);
        hash.AppendData(header[..4]);
        hash.AppendData(payload);
        return hash.GetHashAndReset();
    }
}
