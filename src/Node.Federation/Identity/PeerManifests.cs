using System.Text;
using Google.Protobuf;
using Node.Federation.Packets;
using Node.Protocol.Packets;

namespace Node.Federation.Identity;

/// <summary>What checking a peer manifest found. Everything but <see cref="Valid"/> means it is refused.</summary>
public enum ManifestOutcome
{
    /// <summary>Well-formed, self-signed by the key its node id names, and current.</summary>
    Valid,

    /// <summary>Not a parseable manifest envelope, or a field is missing or ill-formed.</summary>
    Malformed,

    /// <summary>Over a documented limit.</summary>
    Oversize,

    /// <summary>A payload type this node does not read.</summary>
    UnknownVersion,

    /// <summary>The node id is not the id of the public key.</summary>
    IdMismatch,

    /// <summary>The signature by that key does not verify.</summary>
    BadSignature,

    /// <summary>Past its expiry.</summary>
    Expired,

    /// <summary>Issued in the future, beyond the allowed clock skew.</summary>
    NotYetValid,
}

/// <summary>The result of <see cref="PeerManifests.Verify"/>.</summary>
/// <param name="Outcome">What was found.</param>
/// <param name="Manifest">The manifest, when valid.</param>
/// <param name="NodeId">Its node id, when valid.</param>
/// <param name="Detail">Why it was refused.</param>
public readonly record struct ManifestCheck(ManifestOutcome Outcome, PeerManifest? Manifest, NodeId NodeId, string? Detail)
{
    /// <summary>Whether it is valid.</summary>
    public bool IsValid => Outcome == ManifestOutcome.Valid;
}

/// <summary>Signs and checks peer manifests (docs/protocol.md, "Peer manifests").</summary>
public static class PeerManifests
{
    /// <summary>The payload type of a v1 manifest.</summary>
    public const string PayloadType = "application/vnd.sovereign.manifest.v1+protobuf";

    /// <summary>Largest manifest envelope accepted: 16 KiB.</summary>
    public const int MaxEnvelopeBytes = 16 * 1024;

    /// <summary>Most addresses or capabilities in a manifest.</summary>
    public const int MaxListItems = 32;

    /// <summary>Longest a manifest may be valid: 30 days.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(30);

    /// <summary>How far in the future a manifest may have been issued (clock skew): 5 minutes.</summary>
    public static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(5);

    /// <summary>Makes this node's signed manifest, valid from now for <paramref name="lifetime"/> (at most <see cref="MaxLifetime"/>).</summary>
    public static byte[] Sign(NodeIdentity identity, ManifestInfo info, TimeProvider time, TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lifetime, MaxLifetime);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        var now = time.GetUtcNow();
        var manifest = new PeerManifest
        {
            NodeId = identity.Id.ToString(),
            PublicKey = ByteString.CopyFrom(identity.PublicKey),
            Name = info.Name,
            Addresses = { info.Addresses },
            PeerPort = (uint)info.PeerPort,
            Capabilities = { info.Capabilities },
            SoftwareVersion = info.SoftwareVersion,
            TlsCertificateSha256 = ByteString.CopyFrom(info.TlsCertificateSha256),
            IssuedAt = now.ToUnixTimeMilliseconds(),
            ExpiresAt = (now + lifetime).ToUnixTimeMilliseconds(),
        };
        return Dsse.Seal(PayloadType, manifest.ToByteArray(), identity).ToByteArray();
    }

    /// <summary>Checks a manifest envelope from the network; never throws on bad input.</summary>
    public static ManifestCheck Verify(ReadOnlySpan<byte> envelope, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (envelope.Length > MaxEnvelopeBytes)
        {
            return Refuse(ManifestOutcome.Oversize, $"manifest is {envelope.Length} bytes; the limit is {MaxEnvelopeBytes}");
        }

        Envelope parsed;
        PeerManifest manifest;
        try
        {
            parsed = Envelope.Parser.ParseFrom(envelope);
            if (parsed.PayloadType != PayloadType)
            {
                return Refuse(ManifestOutcome.UnknownVersion, $"payload type '{Truncate(parsed.PayloadType)}' is not a manifest this node reads");
            }

            manifest = PeerManifest.Parser.ParseFrom(parsed.Payload);
        }
        catch (InvalidProtocolBufferException ex)
        {
            return Refuse(ManifestOutcome.Malformed, $"not a manifest: {ex.Message}");
        }

        if (manifest.Addresses.Count > MaxListItems || manifest.Capabilities.Count > MaxListItems || parsed.Signatures.Count > PacketLimits.MaxSignatures ||
            Encoding.UTF8.GetByteCount(manifest.Name) > 128 || manifest.Addresses.Concat(manifest.Capabilities).Any(s => Encoding.UTF8.GetByteCount(s) > 128) ||
            Encoding.UTF8.GetByteCount(manifest.SoftwareVersion) > 64)
        {
            return Refuse(ManifestOutcome.Oversize, "too many or too long names, addresses or capabilities");
        }

        if (manifest.PublicKey.Length != 32 || manifest.TlsCertificateSha256.Length != 32 || manifest.PeerPort > 65535)
        {
            return Refuse(ManifestOutcome.Malformed, "public key and certificate hash must be 32 bytes, the port at most 65535");
        }

        if (!NodeId.TryParse(manifest.NodeId, out var id, out var idError))
        {
            return Refuse(ManifestOutcome.Malformed, $"node id: {idError}");
        }

        if (!id.Matches(manifest.PublicKey.Span))
        {
            return Refuse(ManifestOutcome.IdMismatch, $"node id {id} is not the id of the manifest's public key");
        }

        if (!Dsse.IsSignedBy(parsed, manifest.NodeId, manifest.PublicKey.Span))
        {
            return Refuse(ManifestOutcome.BadSignature, $"the manifest of {id} is not signed by its key");
        }

        return ValidityAt(manifest.IssuedAt, manifest.ExpiresAt, time.GetUtcNow().ToUnixTimeMilliseconds()) switch
        {
            ManifestOutcome.NotYetValid => Refuse(ManifestOutcome.NotYetValid, $"the manifest of {id} was issued in the future (clock skew beyond {MaxSkew})"),
            ManifestOutcome.Expired => Refuse(ManifestOutcome.Expired, $"the manifest of {id} has expired or claims more than {MaxLifetime.TotalDays} days"),
            _ => new ManifestCheck(ManifestOutcome.Valid, manifest, id, null),
        };
    }

    /// <summary>The rule of a manifest's validity period at <paramref name="now"/> (all Unix ms): valid, not yet valid, or expired.</summary>
    internal static ManifestOutcome ValidityAt(long issuedAt, long expiresAt, long now)
    {
        if (issuedAt > now + (long)MaxSkew.TotalMilliseconds)
        {
            return ManifestOutcome.NotYetValid;
        }

        // Compared without subtracting: crafted extremes must not overflow into "valid forever".
        return issuedAt < 0 || expiresAt <= issuedAt || expiresAt <= now || expiresAt > issuedAt + (long)MaxLifetime.TotalMilliseconds
            ? ManifestOutcome.Expired
            : ManifestOutcome.Valid;
    }

    private static string Truncate(string text) => text.Length <= 64 ? text : text[..64] + "…";

    private static ManifestCheck Refuse(ManifestOutcome outcome, string detail) => new(outcome, null, default, detail);
}
