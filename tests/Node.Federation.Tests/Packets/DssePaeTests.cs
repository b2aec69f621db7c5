using System.Text;
using Node.Federation.Packets;

namespace Node.Federation.Tests.Packets;

/// <summary>DSSE v1 pre-authentication encoding (secure-systems-lab/dsse, protocol.md).</summary>
public sealed class DssePaeTests
{
    [Fact]
    public void The_example_of_the_DSSE_protocol_spec_encodes_as_the_spec_shows() =>
        Assert.Equal("DSSEv1 29 http://example.com/HelloWorld 11 hello world",
            Encoding.UTF8.GetString(Dsse.Pae("http://example.com/HelloWorld", "hello world"u8)));

    [Fact]
    public void An_empty_payload_has_length_zero_and_ends_with_the_separator() =>
        Assert.Equal("DSSEv1 44 application/vnd.sovereign.packet.v1+protobuf 0 "u8.ToArray(),
            Dsse.Pae(PacketVerifier.PayloadType, []));

    [Fact]
    public void An_empty_payload_type_has_length_zero() =>
        Assert.Equal("DSSEv1 0  1 x"u8.ToArray(), Dsse.Pae("", "x"u8));

    [Fact]
    public void A_multi_byte_payload_type_is_counted_in_UTF_8_bytes_not_characters()
    {
        // "é" is 2 bytes, "€" 3 and "𝄞" 4 (a surrogate pair in .NET): 4 characters, 10 bytes.
        const string type = "é€𝄞x";
        var pae = Dsse.Pae(type, [0xFF]);

        Assert.Equal([.. "DSSEv1 10 "u8, .. Encoding.UTF8.GetBytes(type), .. " 1 "u8, 0xFF], pae);
    }

    [Fact]
    public void Payload_bytes_are_copied_as_they_are_whatever_they_hold()
    {
        var payload = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var pae = Dsse.Pae("t", payload);

        Assert.Equal([.. "DSSEv1 1 t 256 "u8, .. payload], pae);
    }

    [Fact]
    public void The_encoding_tells_apart_a_type_and_payload_split_differently() =>
        Assert.NotEqual(Dsse.Pae("a b", "c"u8), Dsse.Pae("a", "b c"u8));
}
