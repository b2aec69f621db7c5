using System.Buffers;
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
        var kindLength = Encoding.UTF8.GetByteCount(kind);
        var length = prevHash.Length + 8 + 8 + 4 + kindLength + 4 + payload.Length;
        byte[]? rented = null;
        var input = length <= 1024 ? stackalloc byte[length] : (rented = ArrayPool<byte>.Shared.Rent(length)).AsSpan(0, length);
        try
        {
            prevHash.CopyTo(input);
            var at = prevHash.Length;
            BinaryPrimitives.WriteInt64BigEndian(input[at..], seq);
            BinaryPrimitives.WriteInt64BigEndian(input[(at + 8)..], time);
            BinaryPrimitives.WriteInt32BigEndian(input[(at + 16)..], kindLength);
            at += 20;
            at += Encoding.UTF8.GetBytes(kind, input[at..]);
            BinaryPrimitives.WriteInt32BigEndian(input[at..], payload.Length);
            payload.CopyTo(input[(at + 4)..]);
            return SHA256.HashData(input);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
