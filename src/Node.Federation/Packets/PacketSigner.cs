using System.Security.Cryptography;
using Google.Protobuf;
using Node.Federation.Identity;
using Node.Protocol.Packets;

namespace Node.Federation.Packets;

/// <summary>Makes signed envelopes of packet bodies.</summary>
public static class PacketSigner
{
    /// <summary>
    /// Serializes <paramref name="body"/> once, signs the DSSE encoding with <paramref name="author"/>,
    /// and returns the envelope bytes and the packet id. The body's author must be the signer.
    /// </summary>
    public static (byte[] Id, byte[] Envelope) Sign(PacketBody body, NodeIdentity author)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(author);
        if (body.Author != author.Id.ToString())
        {
            throw new ArgumentException($"The body's author '{body.Author}' is not the signer {author.Id}.", nameof(body));
        }

        var payload = body.ToByteArray();
        return (SHA256.HashData(payload), Dsse.Seal(PacketVerifier.PayloadType, payload, author).ToByteArray());
    }
}
