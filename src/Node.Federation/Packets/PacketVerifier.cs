using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Node.Federation.Identity;
using Node.Protocol.Packets;

namespace Node.Federation.Packets;

/// <summary>
/// Checks a packet envelope from anywhere (a peer, a file, the API) before anything uses it:
/// size, shape, version, limits, then the author's signature over the DSSE encoding, and the id.
/// Returns the outcome as a value and never throws on bad input.
/// </summary>
public static class PacketVerifier
{
    /// <summary>The payload type of a v1 packet body.</summary>
    public const string PayloadType = "application/vnd.sovereign.packet.v1+protobuf";

    /// <summary>Checks <paramref name="envelope"/>.</summary>
    /// <param name="envelope">The envelope bytes as received.</param>
    /// <param name="keys">Where authors' keys are found.</param>
    /// <param name="expectedId">The id the packet was offered under, when there was one: the payload must hash to it.</param>
    public static PacketCheck Verify(ReadOnlySpan<byte> envelope, IKeyDirectory keys, ReadOnlySpan<byte> expectedId = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return Check(envelope, keys, expectedId, stored: null);
    }

    /// <summary>
    /// Checks the bytes of a packet this node stored against the id it is stored under: everything
    /// <see cref="Verify"/> checks but the author's key and signature (which were verified when it
    /// was stored, and are again by a scrub). For the read path, where an Ed25519 verification per
    /// packet served would cost more than the read; <see cref="PacketOutcome.Valid"/> here means
    /// intact, with <see cref="VerifiedPacket.Envelope"/> the bytes given.
    /// </summary>
    /// <param name="envelope">The stored envelope.</param>
    /// <param name="id">The id it is stored under (32 bytes).</param>
    public static PacketCheck VerifyIntegrity(byte[] envelope, ReadOnlySpan<byte> id)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (id.Length != 32)
        {
            throw new ArgumentException($"A packet id is 32 bytes; was {id.Length}.", nameof(id));
        }

        return Check(envelope, keys: null, id, envelope);
    }

    // keys null: integrity only, for stored bytes (see VerifyIntegrity).
    private static PacketCheck Check(ReadOnlySpan<byte> envelope, IKeyDirectory? keys, ReadOnlySpan<byte> expectedId, byte[]? stored)
    {
        if (envelope.Length > PacketLimits.MaxEnvelopeBytes)
        {
            return Refuse(PacketOutcome.Oversize, $"envelope is {envelope.Length} bytes; the limit is {PacketLimits.MaxEnvelopeBytes}");
        }

        Envelope parsed;
        try
        {
            parsed = Envelope.Parser.ParseFrom(envelope);
        }
        catch (InvalidProtocolBufferException ex)
        {
            return Refuse(PacketOutcome.Malformed, $"not an envelope: {ex.Message}");
        }

        if (parsed.PayloadType != PayloadType)
        {
            return parsed.PayloadType.Length == 0 ? Refuse(PacketOutcome.Malformed, "payload type missing")
                : Encoding.UTF8.GetByteCount(parsed.PayloadType) > PacketLimits.MaxTypeBytes
                    ? Refuse(PacketOutcome.Oversize, $"payload type is over {PacketLimits.MaxTypeBytes} bytes")
                    : Refuse(PacketOutcome.UnknownVersion, $"payload type '{Printable(parsed.PayloadType)}' is not one this node reads ({PayloadType})");
        }

        var payload = parsed.Payload.Span;
        if (payload.Length > PacketLimits.MaxPayloadBytes)
        {
            return Refuse(PacketOutcome.Oversize, $"payload is {payload.Length} bytes; the limit is {PacketLimits.MaxPayloadBytes}");
        }

        if (parsed.Signatures.Count > PacketLimits.MaxSignatures)
        {
            return Refuse(PacketOutcome.Oversize, $"{parsed.Signatures.Count} signatures; the limit is {PacketLimits.MaxSignatures}");
        }

        if (parsed.Signatures.Any(s => Encoding.UTF8.GetByteCount(s.Keyid) > PacketLimits.MaxNodeIdBytes))
        {
            return Refuse(PacketOutcome.Oversize, $"a signature's key id is over {PacketLimits.MaxNodeIdBytes} bytes");
        }

        var id = SHA256.HashData(payload);
        if (!expectedId.IsEmpty && !expectedId.SequenceEqual(id))
        {
            return Refuse(PacketOutcome.BadHash, $"payload hashes to {Convert.ToHexStringLower(id)}, not the id it was offered under");
        }

        PacketBody body;
        try
        {
            body = PacketBody.Parser.ParseFrom(payload);
        }
        catch (InvalidProtocolBufferException ex)
        {
            return Refuse(PacketOutcome.Malformed, $"payload is not a packet body: {ex.Message}");
        }

        if (CheckBody(body) is { } problem)
        {
            return problem;
        }

        if (!NodeId.TryParse(body.Author, out var author, out var authorError))
        {
            return Refuse(PacketOutcome.Malformed, $"author: {authorError}");
        }

        // One spelling per node: ids are compared and indexed as strings everywhere after this.
        if (body.Author != author.ToString() || (body.Source?.Origin is { Length: > 0 } origin &&
            (!NodeId.TryParse(origin, out var originId, out _) || origin != originId.ToString())))
        {
            return Refuse(PacketOutcome.Malformed, "author and origin must be node ids in their written form (four upper-case groups of seven)");
        }

        if (!parsed.Signatures.Any(s => s.Keyid == body.Author))
        {
            return Refuse(PacketOutcome.NotSignedByAuthor, $"no signature by its author {author}");
        }

        if (keys is null)
        {
            return new PacketCheck(PacketOutcome.Valid, new VerifiedPacket(id, author, body, stored!), null);
        }

        if (!keys.TryGetPublicKey(author, out var publicKey))
        {
            return Refuse(PacketOutcome.UnknownKey, $"the key of author {author} is not known here");
        }

        if (Dsse.SignatureBy(parsed, body.Author, publicKey.Span) is not { } signature)
        {
            return Refuse(PacketOutcome.BadSignature, $"the signature of author {author} does not verify");
        }

        // Kept and forwarded: the payload exactly as signed, with the author's signature only. A
        // relay's extra fields or unchecked co-signatures never travel on under this packet's id.
        var canonical = new Envelope { PayloadType = parsed.PayloadType, Payload = parsed.Payload, Signatures = { signature } };
        return new PacketCheck(PacketOutcome.Valid, new VerifiedPacket(id, author, body, canonical.ToByteArray()), null);
    }

    private static PacketCheck? CheckBody(PacketBody body)
    {
        if (body.Content.Length > PacketLimits.MaxContentBytes)
        {
            return Refuse(PacketOutcome.Oversize, $"content is {body.Content.Length} bytes; the limit is {PacketLimits.MaxContentBytes}");
        }

        if (Encoding.UTF8.GetByteCount(body.Topic) > PacketLimits.MaxSlotBytes || Encoding.UTF8.GetByteCount(body.Key) > PacketLimits.MaxSlotBytes)
        {
            return Refuse(PacketOutcome.Oversize, $"topic or key is over {PacketLimits.MaxSlotBytes} bytes");
        }

        if (Encoding.UTF8.GetByteCount(body.MediaType) > PacketLimits.MaxTypeBytes || Encoding.UTF8.GetByteCount(body.Author) > PacketLimits.MaxNodeIdBytes ||
            Encoding.UTF8.GetByteCount(body.Source?.Origin ?? "") > PacketLimits.MaxNodeIdBytes)
        {
            return Refuse(PacketOutcome.Oversize, "media type, author or origin is too long");
        }

        var derived = body.Source?.DerivedFrom;
        if (body.Dependencies.Count > PacketLimits.MaxReferences || body.Supersedes.Count > PacketLimits.MaxReferences ||
            (derived?.Count ?? 0) > PacketLimits.MaxReferences)
        {
            return Refuse(PacketOutcome.Oversize, $"more than {PacketLimits.MaxReferences} referenced ids in one list");
        }

        if (body.Topic.Length == 0 || body.Key.Length == 0)
        {
            return Refuse(PacketOutcome.Malformed, "topic and key are required");
        }

        if (body.Kind == PacketKind.Unspecified || !Enum.IsDefined(body.Kind))
        {
            return Refuse(PacketOutcome.Malformed, $"kind {(int)body.Kind} is not a known kind");
        }

        if (body.Dependencies.Concat(body.Supersedes).Concat(derived ?? Enumerable.Empty<ByteString>()).Any(r => r.Length != 32))
        {
            return Refuse(PacketOutcome.Malformed, "a referenced packet id is not 32 bytes");
        }

        if (!Enum.IsDefined(body.Scope))
        {
            return Refuse(PacketOutcome.Malformed, $"scope {(int)body.Scope} is not a known share scope");
        }

        if (body.Kind == PacketKind.Retraction && body.Supersedes.Count == 0)
        {
            return Refuse(PacketOutcome.Malformed, "a retraction must supersede at least one packet");
        }

        return null;
    }

    private static PacketCheck Refuse(PacketOutcome outcome, string detail) => new(outcome, null, detail);

    // Text from the network goes into log lines: no control characters (a newline would forge a line), bounded.
    private static string Printable(string text) => Diagnostics.RemoteText.Printable(text, 64);
}
