using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Node.Federation.Identity;
using Node.Federation.Packets;
using Node.Protocol.Packets;

namespace Node.Federation.Tests.Support;

/// <summary>Fixed identities, bodies and envelopes the packet tests build on.</summary>
internal static class TestPackets
{
    /// <summary>Seed 01 02 … 20: the identity the golden packet is signed with.</summary>
    public static byte[] GoldenSeed { get; } = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    public static NodeIdentity GoldenIdentity() => NodeIdentity.FromSeed(GoldenSeed);

    /// <summary>A deterministic identity per number, for tests that need several authors.</summary>
    public static NodeIdentity Identity(int number) => NodeIdentity.FromSeed(SHA256.HashData(Encoding.UTF8.GetBytes($"test identity {number}")));

    public static ByteString Id(string name) => ByteString.CopyFrom(SHA256.HashData(Encoding.UTF8.GetBytes(name)));

    /// <summary>A body every verifier accepts (when signed by <paramref name="author"/>).</summary>
    public static PacketBody Body(NodeIdentity author, string key = "close") => new()
    {
        Author = author.Id.ToString(),
        Topic = "markets/sp500",
        Key = key,
        Kind = PacketKind.Observation,
        MediaType = "text/plain; charset=utf-8",
        Content = ByteString.CopyFromUtf8("4769.83"),
        Hlc = (1_700_000_000_000UL << 16) | 7,
        Scope = ShareScope.Shareable,
    };

    public static KeyDirectory Keys(params NodeIdentity[] identities)
    {
        var keys = new KeyDirectory();
        foreach (var identity in identities)
        {
            keys.Add(identity.PublicKey);
        }

        return keys;
    }

    /// <summary>An envelope built by hand: any payload type, payload and signatures, signed or not.</summary>
    public static byte[] Envelope(string payloadType, byte[] payload, params Signature[] signatures)
    {
        var envelope = new Envelope { PayloadType = payloadType, Payload = ByteString.CopyFrom(payload) };
        envelope.Signatures.Add(signatures);
        return envelope.ToByteArray();
    }

    /// <summary>The signature <paramref name="signer"/> makes over a v1 payload, under <paramref name="keyId"/> (its own id by default).</summary>
    public static Signature SignatureBy(NodeIdentity signer, byte[] payload, string? keyId = null) => new()
    {
        Keyid = keyId ?? signer.Id.ToString(),
        Sig = ByteString.CopyFrom(signer.Sign(Dsse.Pae(PacketVerifier.PayloadType, payload))),
    };

    /// <summary>Signs <paramref name="body"/> as it is, even when it breaks a rule the signer would check.</summary>
    public static byte[] SignedAnyway(PacketBody body, NodeIdentity signer)
    {
        var payload = body.ToByteArray();
        return Envelope(PacketVerifier.PayloadType, payload, SignatureBy(signer, payload));
    }
}
