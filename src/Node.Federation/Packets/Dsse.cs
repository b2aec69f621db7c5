using System.Globalization;
using System.Text;

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
}
