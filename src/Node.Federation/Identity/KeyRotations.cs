using Google.Protobuf;
using Node.Federation.Packets;
using Node.Protocol.Packets;

namespace Node.Federation.Identity;

/// <summary>The result of <see cref="KeyRotations.Verify"/>: the old and new node ids when the statement holds.</summary>
/// <param name="IsValid">Whether both keys signed it and the old id is the old key's.</param>
/// <param name="OldId">The node id rotated from.</param>
/// <param name="NewId">The node id rotated to.</param>
/// <param name="NewPublicKey">The new key.</param>
/// <param name="Detail">Why it was refused.</param>
/// <param name="OldPublicKey">The old key (the one <paramref name="OldId"/> names).</param>
public readonly record struct RotationCheck(bool IsValid, NodeId OldId, NodeId NewId, byte[]? NewPublicKey, string? Detail, byte[]? OldPublicKey = null);

/// <summary>Key rotation statements (docs/protocol.md, "Key rotation"): a new key vouched for by the old one.</summary>
public static class KeyRotations
{
    /// <summary>The payload type of a v1 rotation statement.</summary>
    public const string PayloadType = "application/vnd.sovereign.rotation.v1+protobuf";

    /// <summary>Largest statement accepted: 4 KiB.</summary>
    public const int MaxEnvelopeBytes = 4096;

    /// <summary>The statement that <paramref name="current"/> moves to <paramref name="next"/>, signed by both.</summary>
    public static byte[] Sign(NodeIdentity current, NodeIdentity next, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(time);
        var payload = new KeyRotation
        {
            OldNodeId = current.Id.ToString(),
            OldPublicKey = ByteString.CopyFrom(current.PublicKey),
            NewPublicKey = ByteString.CopyFrom(next.PublicKey),
            IssuedAt = time.GetUtcNow().ToUnixTimeMilliseconds(),
        }.ToByteArray();
        return Dsse.Seal(PayloadType, payload, current, next).ToByteArray();
    }

    /// <summary>Checks a rotation statement; never throws on bad input.</summary>
    public static RotationCheck Verify(ReadOnlySpan<byte> envelope)
    {
        if (envelope.Length > MaxEnvelopeBytes)
        {
            return Refuse($"statement is {envelope.Length} bytes; the limit is {MaxEnvelopeBytes}");
        }

        Envelope parsed;
        KeyRotation rotation;
        try
        {
            parsed = Envelope.Parser.ParseFrom(envelope);
            if (parsed.PayloadType != PayloadType)
            {
                return Refuse("not a key rotation statement");
            }

            rotation = KeyRotation.Parser.ParseFrom(parsed.Payload);
        }
        catch (InvalidProtocolBufferException ex)
        {
            return Refuse($"not a key rotation statement: {ex.Message}");
        }

        if (rotation.OldPublicKey.Length != 32 || rotation.NewPublicKey.Length != 32 || rotation.OldPublicKey.Equals(rotation.NewPublicKey))
        {
            return Refuse("the old and new keys must be two different 32-byte keys");
        }

        if (!NodeId.TryParse(rotation.OldNodeId, out var oldId, out var idError) || !oldId.Matches(rotation.OldPublicKey.Span))
        {
            return Refuse($"the old node id is not the old key's ({idError ?? "mismatch"})");
        }

        var newId = NodeId.FromPublicKey(rotation.NewPublicKey.Span);
        if (!Dsse.IsSignedBy(parsed, oldId.ToString(), rotation.OldPublicKey.Span))
        {
            return Refuse($"not signed by the old key of {oldId}");
        }

        if (!Dsse.IsSignedBy(parsed, newId.ToString(), rotation.NewPublicKey.Span))
        {
            return Refuse($"not signed by the new key {newId}: possession of it is not proven");
        }

        return new RotationCheck(true, oldId, newId, rotation.NewPublicKey.ToByteArray(), null, rotation.OldPublicKey.ToByteArray());
    }

    private static RotationCheck Refuse(string detail) => new(false, default, default, null, detail);
}
