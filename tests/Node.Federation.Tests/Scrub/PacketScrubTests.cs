using Node.Federation.Packets;
using Node.Federation.Tests.Support;
using Node.Storage;
using Node.Storage.Events;

namespace Node.Federation.Tests.Scrub;

/// <summary>A scrub names and marks the packets whose bytes no longer verify; reads never serve them.</summary>
public sealed class PacketScrubTests : IAsyncDisposable
{
    private readonly ScrubNode _node = new(new StoreOptions { ScrubBatchSize = 2 });

    public ValueTask DisposeAsync() => _node.DisposeAsync();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private async Task<List<byte[]>> PutAsync(int count)
    {
        var ids = new List<byte[]>();
        for (var i = 0; i < count; i++)
        {
            ids.Add(await _node.PutAsync("notes", $"k{i}", $"v{i}"));
        }

        return ids;
    }

    [Fact]
    public async Task A_scrub_names_each_packet_whose_bytes_were_changed_marks_it_and_records_what_it_found()
    {
        var ids = await PutAsync(5);
        _node.FlipBit(ids[1]);
        _node.FlipBit(ids[3], inSignature: true);

        var report = await _node.Scrub.RunAsync("tester", Token);

        Assert.Equal((0L, 5L, 0L, 2L, 2L), (report.From, report.Checked, report.Unverified, report.Marked, report.Corrupt));
        Assert.Equal([(Hex(ids[1]), 2L), (Hex(ids[3]), 4L)], report.CorruptPackets.Select(p => (Hex(p.Id), p.Seq)));
        Assert.StartsWith("payload hashes to", report.CorruptPackets[0].Reason, StringComparison.Ordinal);
        Assert.Contains("signature", report.CorruptPackets[1].Reason, StringComparison.Ordinal);
        var marks = _node.Events(EventKinds.PacketCorrupt);
        Assert.Equal([Hex(ids[1]), Hex(ids[3])], marks.Select(m => m.GetProperty("id").GetString()));
        Assert.All(marks, m => Assert.Equal("scrub", m.GetProperty("found_by").GetString()));
        var scrubbed = Assert.Single(_node.Events(EventKinds.StoreScrubbed));
        Assert.Equal("""{"from":0,"checked":5,"unverified":0,"marked":2,"corrupt":2,"by":"tester"}""", scrubbed.GetRawText());
        using var reader = _node.Store.OpenReader();
        Assert.Null(reader.Packets.ById(ids[1]));
        Assert.Null(reader.Packets.ById(ids[3]));
        Assert.Equal(3, reader.Packets.After(Node.Storage.Packets.PacketFilter.All, 0, 100).Count);
        Assert.True(_node.Store.VerifyEventLog().IsIntact);
    }

    [Fact]
    public async Task Scrubbing_again_still_names_the_corrupt_packets_but_marks_nothing_twice()
    {
        var ids = await PutAsync(3);
        _node.FlipBit(ids[2]);
        await _node.Scrub.RunAsync("tester", Token);

        var again = await _node.Scrub.RunAsync("tester", Token);

        Assert.Equal((3L, 0L, 1L), (again.Checked, again.Marked, again.Corrupt));
        Assert.Equal([Hex(ids[2])], again.CorruptPackets.Select(p => Hex(p.Id)));
        Assert.Single(_node.Events(EventKinds.PacketCorrupt));
        Assert.Equal(2, _node.Events(EventKinds.StoreScrubbed).Count);
    }

    [Fact]
    public async Task A_clean_store_scrubs_clean()
    {
        await PutAsync(4);

        var report = await _node.Scrub.RunAsync("tester", Token);

        Assert.Equal((4L, 0L, 0L), (report.Checked, report.Marked, report.Corrupt));
        Assert.Empty(report.CorruptPackets);
        Assert.Empty(_node.Events(EventKinds.PacketCorrupt));
    }

    [Fact]
    public async Task Reading_checks_what_it_serves_leaves_out_a_packet_whose_bytes_changed_and_marks_it()
    {
        var ids = await PutAsync(3);
        _node.FlipBit(ids[1]);
        IReadOnlyList<Node.Storage.Packets.StoredPacket> rows;
        using (var reader = _node.Store.OpenReader())
        {
            rows = reader.Packets.After(Node.Storage.Packets.PacketFilter.All, 0, 100);
        }

        var served = await _node.Scrub.ServeAsync(rows, Token);

        Assert.Equal([Hex(ids[0]), Hex(ids[2])], served.Select(p => Hex(p.Stored.Packet.Id)));
        Assert.Equal(["v0", "v2"], served.Select(p => p.Body.Content.ToStringUtf8()));
        var mark = Assert.Single(_node.Events(EventKinds.PacketCorrupt));
        Assert.Equal((Hex(ids[1]), "read"), (mark.GetProperty("id").GetString(), mark.GetProperty("found_by").GetString()));
    }

    [Fact]
    public async Task A_slots_current_value_is_never_a_corrupt_packet()
    {
        var older = await _node.PutAsync("price", "btc", "1");
        var newer = await _node.PutAsync("price", "btc", "2");
        Assert.Equal(Hex(newer), Hex((await _node.Slots.ResolveAsync("price", "btc", Token))!.Current!.Packet.Id));

        // Its bytes changed: as read it fails its check, is marked, and the slot falls back to what is sound.
        _node.FlipBit(newer);
        var value = await _node.Slots.ResolveAsync("price", "btc", Token);

        Assert.Equal(Hex(older), Hex(value!.Current!.Packet.Id));
        Assert.Equal("1", value.Body!.Content.ToStringUtf8());
        Assert.Empty(value.OtherContenders);
        Assert.Single(_node.Events(EventKinds.PacketCorrupt));
    }

    [Fact]
    public async Task A_marked_packet_received_again_intact_is_repaired_and_served_again()
    {
        var ids = await PutAsync(2);
        var original = _node.Envelope(ids[1]);
        _node.FlipBit(ids[1]);
        await _node.Scrub.RunAsync("tester", Token);
        var intake = new PacketIntake(_node.Store.Writer, TestPackets.Keys(_node.Identity.Identity));

        var result = await intake.AcceptAsync(original, "peer", cancellationToken: Token);

        Assert.Equal(IntakeOutcome.Repaired, result.Outcome);
        Assert.Equal(2, result.Seq);
        using var reader = _node.Store.OpenReader();
        Assert.Equal(original, reader.Packets.ById(ids[1])!.Packet.Envelope);
        Assert.Equal(0, reader.Packets.CorruptCount());
        Assert.Equal(Hex(ids[1]), Assert.Single(_node.Events(EventKinds.PacketRepaired)).GetProperty("id").GetString());
        Assert.Equal(IntakeOutcome.Duplicate, (await intake.AcceptAsync(original, "peer", cancellationToken: Token)).Outcome);
    }

    private static string Hex(byte[] id) => Convert.ToHexStringLower(id);
}
