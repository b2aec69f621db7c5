using System.Globalization;
using System.Text;
using Google.Protobuf;
using Node.Federation.Identity;
using Node.Protocol.Packets;

namespace Node.Federation.Packets;

/// <summary>
/// DSSE v1 pre-authentication encoding (https://github.com/secure-systems-lab/dsse, protocol.md):
/// <c>"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body</c>, lengths in ASCII decimal bytes.
/// Signing this, not the payload alone, binds the payload type to the signature.
/// </summary>
public static class Dsse
{
    /// <summary>The bytes a signature covers.</summary>
    public static byte[] Pae(string payloadType, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(payloadType);
        var type = Encoding.UTF8.GetBytes(payloadType);
        var header = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"DSSEv1 {type.Length} "));
        var middle = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $" {payload.Length} "));
        var pae = new byte[header.Length + type.Length + middle.Length + payload.Length];
        var span = pae.AsSpan();
        header.CopyTo(span);
        type.CopyTo(span[header.Length..]);
        middle.CopyTo(span[(header.Length + type.Length)..]);
        payload.CopyTo(span[(header.Length + type.Length + middle.Length)..]);
        return pae;
    }

    /// <summary>An envelope of <paramref name="payload"/>, signed by each of <paramref name="signers"/> (key id: its node id).</summary>
    public static Envelope Seal(string payloadType, byte[] payload, params NodeIdentity[] signers)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(signers);
        var pae = Pae(payloadType, payload);
        var envelope = new Envelope { PayloadType = payloadType, Payload = ByteString.CopyFrom(payload) };
        foreach (var signer in signers)
        {
            envelope.Signatures.Add(new Signature { Keyid = signer.Id.ToString(), Sig = ByteString.CopyFrom(signer.Sign(pae)) });
        }

        return envelope;
    }

    /// <summary>Whether <paramref name="envelope"/> carries a signature under <paramref name="keyid"/> that verifies with <paramref name="publicKey"/>.</summary>
    public static bool IsSignedBy(Envelope envelope, string keyid, ReadOnlySpan<byte> publicKey) => SignatureBy(envelope, keyid, publicKey) is not null;

    /// <summary>The first signature of <paramref name="envelope"/> under <paramref name="keyid"/> that verifies with <paramref name="publicKey"/>, or null.</summary>
    public static Signature? SignatureBy(Envelope envelope, string keyid, ReadOnlySpan<byte> publicKey)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        byte[]? pae = null;
        foreach (var signature in envelope.Signatures)
        {
            if (signature.Keyid == keyid && NodeIdentity.Verify(publicKey, pae ??= Pae(envelope.PayloadType, envelope.Payload.Span), signature.Sig.Span))
            {
                return signature;
            }
        }

        return null;
    }
}
