using CsCheck;
using Node.Federation.Discovery.Dns;

namespace Node.Federation.Tests.Discovery.Dns;

public sealed class DnsPropertyTests
{
    [Fact]
    public void Any_generated_message_round_trips_writer_to_reader_equal() =>
        DnsGen.Message.Sample(message =>
        {
            var buffer = new byte[DnsMessage.MaxSize];
            Assert.True(message.TryWrite(buffer, out var written));
            DnsAssert.SameMessage(message, DnsAssert.Parses(buffer.AsSpan(0, written)));
        }, iter: 1_000);

    [Fact]
    public void Compression_never_makes_a_message_longer_than_its_uncompressed_form() =>
        DnsGen.Message.Sample(message =>
        {
            var uncompressed = 12 + message.Questions.Sum(q => q.Name.WireLength + 4)
                + message.AllRecords().Sum(r => r.Name.WireLength + 10 + r.Data.Canonical.Length);
            Assert.True(message.ToArray().Length <= uncompressed);
        }, iter: 1_000);

    [Fact]
    public void Reading_never_throws_on_random_bytes() =>
        Gen.Byte.Array[0, 1500].Sample(bytes => TryParseAndRewrite(bytes), iter: 10_000);

    [Fact]
    public void Reading_never_throws_on_random_bytes_after_a_header_with_small_counts()
    {
        // Random bytes mostly fail the count check; small counts get the reader into names and rdata.
        var gen = Gen.Select(Gen.Byte.Array[4], Gen.Int[0, 3].Array[4], Gen.Byte.Array[0, 400]);
        gen.Sample((idFlags, counts, body) =>
        {
            var packet = new byte[12 + body.Length];
            idFlags.CopyTo(packet, 0);
            for (var i = 0; i < 4; i++)
            {
                packet[5 + (2 * i)] = (byte)counts[i];
            }

            body.CopyTo(packet, 12);
            TryParseAndRewrite(packet);
        }, iter: 20_000);
    }

    [Fact]
    public void Reading_never_throws_on_valid_packets_with_bits_flipped_bytes_changed_cut_or_inserted()
    {
        var gen = Gen.Select(DnsGen.Message, Gen.Int[0, 3].Array[1, 4], Gen.Int[0, int.MaxValue].Array[4], Gen.Byte.Array[4]);
        gen.Sample((message, kinds, positions, values) =>
        {
            var packet = message.ToArray().ToList();
            for (var i = 0; i < kinds.Length; i++)
            {
                var at = positions[i] % packet.Count;
                switch (kinds[i])
                {
                    case 0:
                        packet[at] ^= (byte)(1 << (values[i] & 7));
                        break;
                    case 1:
                        packet[at] = values[i];
                        break;
                    case 2:
                        packet.RemoveRange(at, packet.Count - at);
                        break;
                    default:
                        packet.Insert(at, values[i]);
                        break;
                }

                if (packet.Count == 0)
                {
                    break;
                }
            }

            TryParseAndRewrite([.. packet]);
        }, iter: 3_000);
    }

    /// <summary>Reads the packet; whatever it reads must write and read back the same.</summary>
    private static void TryParseAndRewrite(byte[] packet)
    {
        if (DnsMessage.TryParse(packet, out var message, out var error))
        {
            Assert.Null(error);
            DnsAssert.RoundTrips(message);
        }
        else
        {
            Assert.False(string.IsNullOrEmpty(error));
        }
    }
}
