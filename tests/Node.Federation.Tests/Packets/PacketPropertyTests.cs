using CsCheck;
using Google.Protobuf;
using Node.Federation.Identity;
using Node.Federation.Packets;
using Node.Federation.Tests.Support;
using Node.Protocol.Packets;

namespace Node.Federation.Tests.Packets;

public sealed class PacketPropertyTests : IDisposable
{
    private readonly NodeIdentity _author = TestPackets.Identity(1);
    private readonly NodeIdentity _countersigner = TestPackets.Identity(2);
    private readonly KeyDirectory _keys;

    public PacketPropertyTests() => _keys = TestPackets.Keys(_author, _countersigner);

    public void Dispose()
    {
        _author.Dispose();
        _countersigner.Dispose();
    }

    [Fact]
    public void Any_body_round_trips_through_its_bytes_and_encodes_the_same_again() =>
        PacketGen.AnyBody.Sample(body =>
        {
            var bytes = body.ToByteArray();
            var decoded = PacketBody.Parser.ParseFrom(bytes);
            Assert.Equal(body, decoded);
            Assert.Equal(bytes, decoded.ToByteArray());
        }, iter: 2_000);

    [Fact]
    public void Any_valid_body_signed_by_its_author_verifies_as_the_same_body_and_id() =>
        PacketGen.ValidBody(_author).Sample(body =>
        {
            var (id, envelope) = PacketSigner.Sign(body, _author);
            var check = PacketVerifier.Verify(envelope, _keys, id);
            Assert.Equal(PacketOutcome.Valid, check.Outcome);
            Assert.Equal(body, check.Packet!.Body);
            Assert.Equal(id, check.Packet.Id);
        }, iter: 300);

    [Fact]
    public void Verify_never_throws_on_random_bytes() =>
        Gen.Byte.Array[0, 600].Sample(bytes =>
        {
            var check = PacketVerifier.Verify(bytes, _keys);
            Assert.NotEqual(PacketOutcome.Valid, check.Outcome);
        }, iter: 20_000);

    [Fact]
    public void Verify_never_throws_on_random_bytes_in_any_field_of_an_envelope_or_body()
    {
        // Random bytes rarely parse as an envelope; here they sit where a string or bytes field is read,
        // so UTF-8 decoding, nested messages and the body checks all see them.
        var gen = Gen.Select(Gen.Int[1, 15], Gen.Byte.Array[0, 80], Gen.Bool);
        gen.Sample((field, junk, inBody) =>
        {
            var frame = Frame(field, junk);
            var bytes = inBody
                ? Frame(1, System.Text.Encoding.UTF8.GetBytes(PacketVerifier.PayloadType)).Concat(Frame(2, [.. TestPackets.Body(_author).ToByteArray(), .. frame])).ToArray()
                : [.. PacketSigner.Sign(TestPackets.Body(_author), _author).Envelope, .. frame];
            _ = PacketVerifier.Verify(bytes, _keys);
        }, iter: 20_000);
    }

    [Fact]
    public void Verify_never_throws_on_mutated_valid_envelopes()
    {
        var (_, envelope) = PacketSigner.Sign(TestPackets.Body(_author), _author);
        var mutation = Gen.Select(Gen.Int[0, 3], Gen.Int[0, envelope.Length - 1], Gen.Int[1, 16], Gen.Byte.Array[1, 16]);
        mutation.Sample((kind, at, count, bytes) =>
        {
            var mutated = kind switch
            {
                0 => [.. envelope[..at], .. bytes, .. envelope[at..]], // insert
                1 => [.. envelope[..at], .. envelope[Math.Min(envelope.Length, at + count)..]], // delete
                2 => envelope[..at], // truncate
                _ => Overwrite(envelope, at, bytes),
            };
            var check = PacketVerifier.Verify(mutated, _keys);
            Assert.True(check.Outcome != PacketOutcome.Valid || check.Packet!.Body.Equals(TestPackets.Body(_author)),
                $"a mutation made a different packet valid: {Convert.ToHexStringLower(mutated)}");
        }, iter: 20_000);
    }

    [Fact]
    public void No_single_bit_flip_anywhere_in_an_envelope_signed_only_by_its_author_is_valid()
    {
        var (_, envelope) = PacketSigner.Sign(TestPackets.Body(_author), _author);
        var outcomes = new Dictionary<PacketOutcome, int>();

        for (var bit = 0; bit < envelope.Length * 8; bit++)
        {
            var outcome = PacketVerifier.Verify(Flip(envelope, bit), _keys).Outcome;
            Assert.True(outcome != PacketOutcome.Valid, $"bit {bit} (byte {bit / 8}) flipped is still valid");
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        TestContext.Current.TestOutputHelper?.WriteLine(string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key} {o.Value}")));
    }

    [Fact]
    public void A_single_bit_flip_in_any_valid_packet_is_never_valid() =>
        Gen.Select(PacketGen.ValidBody(_author), Gen.Int[0, int.MaxValue]).Sample((body, seed) =>
        {
            var (_, envelope) = PacketSigner.Sign(body, _author);
            var bit = seed % (envelope.Length * 8);
            Assert.NotEqual(PacketOutcome.Valid, PacketVerifier.Verify(Flip(envelope, bit), _keys).Outcome);
        }, iter: 500);

    /// <summary>
    /// The author's signature covers the payload type and payload, not the envelope around them: a countersignature
    /// and an unknown envelope field are outside it. The precise property: a flip inside the covered part or the
    /// author's signature entry is never valid; a flip elsewhere may leave the packet valid, but then it is the same
    /// packet (same id, author and body), and only the envelope bytes kept with it differ.
    /// </summary>
    [Fact]
    public void A_bit_flip_outside_what_the_author_signed_can_leave_the_packet_valid_but_never_as_another_packet()
    {
        var body = TestPackets.Body(_author);
        var payload = body.ToByteArray();
        var covered = new Envelope { PayloadType = PacketVerifier.PayloadType, Payload = ByteString.CopyFrom(payload) }.ToByteArray();
        var countersignature = new Envelope { Signatures = { TestPackets.SignatureBy(_countersigner, payload) } }.ToByteArray();
        var authorSignature = new Envelope { Signatures = { TestPackets.SignatureBy(_author, payload) } }.ToByteArray();
        var unknownField = Frame(15, "a field from a later version"u8.ToArray());
        byte[] envelope = [.. covered, .. countersignature, .. authorSignature, .. unknownField];
        var id = System.Security.Cryptography.SHA256.HashData(payload);
        Assert.Equal(PacketOutcome.Valid, PacketVerifier.Verify(envelope, _keys).Outcome);

        var coveredEnd = covered.Length;
        var authorStart = coveredEnd + countersignature.Length;
        var authorEnd = authorStart + authorSignature.Length;
        int outsideFlips = 0, outsideValid = 0;
        for (var bit = 0; bit < envelope.Length * 8; bit++)
        {
            var at = bit / 8;
            var check = PacketVerifier.Verify(Flip(envelope, bit), _keys);
            var signedPart = at < coveredEnd || (at >= authorStart && at < authorEnd);
            if (signedPart)
            {
                Assert.True(!check.IsValid, $"bit {bit} (byte {at}, signed part) flipped is still valid");
                continue;
            }

            outsideFlips++;
            if (check.IsValid)
            {
                outsideValid++;
                Assert.Equal(id, check.Packet!.Id);
                Assert.Equal(_author.Id, check.Packet.Author);
                Assert.Equal(body, check.Packet.Body);
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"flips outside the signed part: {outsideFlips}, still valid (same packet): {outsideValid}");
        Assert.InRange(outsideValid, 1, outsideFlips); // such flips do exist: the envelope is not all covered
    }

    private static byte[] Flip(byte[] bytes, int bit)
    {
        var copy = (byte[])bytes.Clone();
        copy[bit / 8] ^= (byte)(1 << (bit % 8));
        return copy;
    }

    private static byte[] Overwrite(byte[] bytes, int at, byte[] with)
    {
        var copy = (byte[])bytes.Clone();
        with.AsSpan(0, Math.Min(with.Length, copy.Length - at)).CopyTo(copy.AsSpan(at));
        return copy;
    }

    // A length-delimited protobuf field.
    private static byte[] Frame(int field, byte[] content)
    {
        var output = new MemoryStream();
        var coded = new CodedOutputStream(output);
        coded.WriteTag(field, WireFormat.WireType.LengthDelimited);
        coded.WriteBytes(ByteString.CopyFrom(content));
        coded.Flush();
        return output.ToArray();
    }
}
