using Google.Protobuf;
using Node.Federation.Clock;
using Node.Federation.Packets;
using Node.Federation.Tests.Support;
using Node.Protocol.Packets;

namespace Node.Federation.Tests.Packets;

/// <summary>
/// The v1 wire format, pinned. The golden bytes were produced apart from this code base (protobuf fields
/// encoded by hand from packet.proto, Ed25519 by OpenSSL), so a change to the proto, the field order,
/// the DSSE encoding or the id rule fails here. Do not regenerate them to make a test pass: a change
/// that breaks them is a new payload type.
/// </summary>
public sealed class GoldenPacketTests
{
    private const string GoldenNodeId = "MW3AM46-W5WEEXI-4A4FQRC-3AVNUAV";
    private const string GoldenPacketId = "dfa94c02f2df789ead0e0b702a35f7ba3f631529f23f623e03eb28ea4815f6e2";

    private const string GoldenEnvelope =
        "0a2c6170706c69636174696f6e2f766e642e736f7665726569676e2e7061636b65742e76312b70726f746f627566" + // 1: payload type
        "12f101" + // 2: payload, 241 bytes
        "0a1f4d5733414d34362d573557454558492d344134465152432d3341564e554156" + // 1: author
        "120d6d61726b6574732f7370353030" + // 2: topic
        "1a05636c6f7365" + // 3: key
        "2001" + // 4: kind observation
        "2a19746578742f706c61696e3b20636861727365743d7574662d38" + // 5: media type
        "3207343736392e3833" + // 6: content
        "3907000068e5cf8b01" + // 7: hlc, fixed64
        "4220f26350dafe3f19aabfd69ac463fb5daf76015c9a2763e76e2ad32fc0fcfedf31" + // 8: dependency
        "4a202a51d3547c23a8de50f3e23285a0df356627ef64c300087d3b27173f08ded2a0" + // 9: supersedes
        "5243" + // 10: source
        "0a1f4d5733414d34362d573557454558492d344134465152432d3341564e554156" + // 10.1: origin
        "122041cf6794ba4200b839c53531555f0f3998df4cbb01a4d5cb0b94e3ca5e23947d" + // 10.2: derived from
        "5803" + // 11: scope shareable
        "1a63" + // 3: signature
        "0a1f4d5733414d34362d573557454558492d344134465152432d3341564e554156" + // 3.1: key id
        "1240baaf380ef8c26db4d5b8e4afe1e74911527d5542a1f04c01209e4dde926863dd" + // 3.2: Ed25519 signature
        "b47379eb03dd683c6e9fe690d197e69b619ebf7ea86c9826645044d7b2db4901";

    private static PacketBody GoldenBody() => new()
    {
        Author = GoldenNodeId,
        Topic = "markets/sp500",
        Key = "close",
        Kind = PacketKind.Observation,
        MediaType = "text/plain; charset=utf-8",
        Content = ByteString.CopyFromUtf8("4769.83"),
        Hlc = HybridTimestamp.From(1_700_000_000_000, 7).Value,
        Dependencies = { TestPackets.Id("dependency") },
        Supersedes = { TestPackets.Id("earlier") },
        Source = new Attribution { Origin = GoldenNodeId, DerivedFrom = { TestPackets.Id("source") } },
        Scope = ShareScope.Shareable,
    };

    [Fact]
    public void The_golden_seed_has_the_golden_node_id()
    {
        using var author = TestPackets.GoldenIdentity();

        Assert.Equal(GoldenNodeId, author.Id.ToString());
    }

    [Fact]
    public void Signing_the_golden_body_gives_the_golden_envelope_bytes_and_id()
    {
        using var author = TestPackets.GoldenIdentity();

        var (id, envelope) = PacketSigner.Sign(GoldenBody(), author);

        Assert.Equal(GoldenEnvelope, Convert.ToHexStringLower(envelope));
        Assert.Equal(GoldenPacketId, Convert.ToHexStringLower(id));
    }

    [Fact]
    public void The_golden_envelope_verifies_and_decodes_to_the_golden_body()
    {
        using var author = TestPackets.GoldenIdentity();
        var bytes = Convert.FromHexString(GoldenEnvelope);

        var check = PacketVerifier.Verify(bytes, TestPackets.Keys(author), Convert.FromHexString(GoldenPacketId));

        Assert.Equal(PacketOutcome.Valid, check.Outcome);
        Assert.True(check.IsValid);
        Assert.Null(check.Detail);
        var packet = Assert.IsType<VerifiedPacket>(check.Packet);
        Assert.Equal(GoldenPacketId, Convert.ToHexStringLower(packet.Id));
        Assert.Equal(author.Id, packet.Author);
        Assert.Equal(GoldenBody(), packet.Body);
        Assert.Equal(bytes, packet.Envelope);
    }

    [Fact]
    public void The_golden_envelope_is_refused_by_a_node_that_does_not_know_the_author() =>
        Assert.Equal(PacketOutcome.UnknownKey, PacketVerifier.Verify(Convert.FromHexString(GoldenEnvelope), new KeyDirectory()).Outcome);

    [Fact]
    public void The_packet_id_is_the_SHA_256_of_the_payload_bytes_as_signed()
    {
        var envelope = Envelope.Parser.ParseFrom(Convert.FromHexString(GoldenEnvelope));

        Assert.Equal(GoldenPacketId, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(envelope.Payload.Span)));
        Assert.Equal(PacketVerifier.PayloadType, envelope.PayloadType);
    }

    [Fact]
    public void The_v1_payload_type_is_the_one_on_the_wire() =>
        Assert.Equal("application/vnd.sovereign.packet.v1+protobuf", PacketVerifier.PayloadType);

    [Fact]
    public void The_hlc_packs_milliseconds_above_a_16_bit_counter() =>
        Assert.Equal(0x018bcfe568000007UL, HybridTimestamp.From(1_700_000_000_000, 7).Value);
}
