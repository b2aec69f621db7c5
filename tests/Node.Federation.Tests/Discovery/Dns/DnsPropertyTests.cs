using System.Buffers.Binary;
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

    // The slot the bad record is made in: a record of a type nobody models, named by a label no generated
    // name ends with (so no later name is compressed into it), its 17-byte owner name and its data
    // overwritten in place after writing, so that no offset after it moves.
    private static readonly DnsName SlotName = DnsName.Of("bad-record-slot");

    /// <summary>Ways to spoil the slot: each keeps its bytes framed (its name ends where it did, its rdlength is right).</summary>
    private enum Spoil
    {
        RandomDataOfAModelledType,
        ZeroconfNsec,
        OwnerNameNotUtf8,
        OwnerNamePointingForward,
        UnknownType,
    }

    private static readonly DnsRecordType[] Modelled =
        [DnsRecordType.A, DnsRecordType.Aaaa, DnsRecordType.Ptr, DnsRecordType.Srv, DnsRecordType.Txt, DnsRecordType.Nsec];

    [Fact]
    public void One_bad_record_between_good_ones_costs_at_most_itself()
    {
        var gen = Gen.Select(DnsGen.Question.Array[0, 2], DnsGen.Record.Array[0, 4], DnsGen.Record.Array[0, 4], DnsGen.Record.Array[0, 3],
            Gen.Enum<Spoil>(), Gen.Int[0, Modelled.Length - 1], Gen.Byte.Array[0, 40]);
        gen.Sample((questions, before, after, additionals, spoil, modelled, data) =>
        {
            var rdata = spoil == Spoil.ZeroconfNsec ? Convert.FromHexString("C00C0000000400000008") : data;
            var slot = new DnsRecord(SlotName, (DnsRecordType)0xFF00, 120, new OpaqueData(rdata));
            // Names are only compressed backward, so the packet is the prefix's bytes up to the slot's end.
            var slotEnd = new DnsMessage(0, 0x8400, questions, [.. before, slot]).ToArray().Length;
            var packet = new DnsMessage(0, 0x8400, questions, [.. before, slot, .. after], [], additionals).ToArray();
            var typeAt = slotEnd - rdata.Length - 10;
            var nameAt = typeAt - SlotName.WireLength;
            switch (spoil)
            {
                case Spoil.RandomDataOfAModelledType:
                    BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(typeAt), (ushort)Modelled[modelled]);
                    break;
                case Spoil.ZeroconfNsec:
                    BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(typeAt), (ushort)DnsRecordType.Nsec);
                    break;
                case Spoil.OwnerNameNotUtf8:
                    packet.AsSpan(nameAt + 1, SlotName.WireLength - 2).Fill(0xFF);
                    break;
                case Spoil.OwnerNamePointingForward:
                    packet[nameAt] = (byte)(SlotName.WireLength - 3);
                    packet[slotEnd - rdata.Length - 12] = 0xFF; // the name's last two bytes: a pointer to 0x3FFF, past any packet
                    packet[slotEnd - rdata.Length - 11] = 0xFF;
                    break;
                default:
                    break;
            }

            var message = DnsAssert.Parses(packet);
            Assert.Equal(questions, message.Questions);
            Assert.Equal(additionals, message.Additionals);
            if (message.Skipped.Count == 1)
            {
                Assert.StartsWith($"answer {before.Length + 1}: ", message.Skipped[0], StringComparison.Ordinal);
                Assert.Equal([.. before, .. after], message.Answers);
            }
            else
            {
                // Spoiled data its type still allows (a TXT, 4 bytes of A), or an unknown type: read, in its place.
                Assert.Empty(message.Skipped);
                Assert.True(spoil is Spoil.RandomDataOfAModelledType or Spoil.UnknownType, $"{spoil} was read");
                Assert.Equal([.. before, .. after], message.Answers.Where((_, i) => i != before.Length));
            }
        }, iter: 3_000);
    }

    /// <summary>Reads the packet; whatever it reads must write and read back the same.</summary>
    private static void TryParseAndRewrite(byte[] packet)
    {
        if (DnsMessage.TryParse(packet, out var message, out var error))
        {
            Assert.Null(error);
            Assert.All(message.Skipped, reason => Assert.False(string.IsNullOrEmpty(reason)));
            DnsAssert.RoundTrips(message);
        }
        else
        {
            Assert.False(string.IsNullOrEmpty(error));
        }
    }
}
