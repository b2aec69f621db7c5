using System.Text;
using Microsoft.Extensions.Time.Testing;
using Node.Storage.Events;
using Node.Storage.Events.Payloads;
using Node.Storage.Packets;
using Node.Storage.Tests.Support;

namespace Node.Storage.Tests;

/// <summary>Marking a stored packet corrupt: kept and counted, never served; repaired by verified bytes under the same id.</summary>
public sealed class CorruptMarkTests : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly Random _random = new(44);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 3, 4, 5, 6, 7, TimeSpan.Zero));
    private readonly NodeStore _store;

    public CorruptMarkTests() => _store = TestStore.Open(_directory.Path, _time);

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        _directory.Dispose();
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_marked_packet_is_kept_and_counted_but_no_serving_query_returns_it()
    {
        var packets = Enumerable.Range(0, 3).Select(_ => TestPackets.Create(_random, topic: "slot")).Select(p => p with { Key = "k" }).ToList();
        foreach (var packet in packets)
        {
            await TestPackets.InsertAsync(_store, packet);
        }

        var marked = await _store.Writer.WriteAsync(c => c.MarkCorrupt(packets[1].Id, "payload hashes to 00, not its id", "scrub"), Token);

        Assert.True(marked);
        using var reader = _store.OpenReader();
        Assert.Null(reader.Packets.ById(packets[1].Id));
        Assert.NotNull(reader.Packets.ById(packets[0].Id));
        Assert.Equal("payload hashes to 00, not its id", reader.Packets.CorruptReason(packets[1].Id));
        Assert.Null(reader.Packets.CorruptReason(packets[0].Id));
        Assert.Equal([Hex(packets[0]), Hex(packets[2])], reader.Packets.After(PacketFilter.All, 0, 10).Select(p => Hex(p.Packet)));
        Assert.Equal([Hex(packets[0]), Hex(packets[2])], reader.Packets.BySlot("slot", "k").Select(p => Hex(p.Packet)));
        Assert.False(reader.Packets.Fills("slot", "k", "observation", "nobody"));
        // What a scrub, the counts and the corrupt list see.
        Assert.Equal(3, reader.Packets.ForScrub(0, 10).Count);
        Assert.Equal(3, reader.Packets.Count());
        Assert.Equal(1, reader.Packets.CorruptCount());
        var corrupt = Assert.Single(reader.Packets.Corrupt(10));
        Assert.Equal((Hex(packets[1]), 2L, "payload hashes to 00, not its id"), (Convert.ToHexStringLower(corrupt.Id), corrupt.Seq, corrupt.Reason));
    }

    [Fact]
    public async Task Marking_appends_one_packet_corrupt_event_naming_the_packet_and_the_reason_and_marking_again_changes_nothing()
    {
        var packet = TestPackets.Create(_random);
        await TestPackets.InsertAsync(_store, packet);

        await _store.Writer.WriteAsync(c => c.MarkCorrupt(packet.Id, "the signature of author X does not verify", "read"), Token);
        var again = await _store.Writer.WriteAsync(c => c.MarkCorrupt(packet.Id, "another reason", "scrub"), Token);
        var unknown = await _store.Writer.WriteAsync(c => c.MarkCorrupt(new byte[32], "not stored", "scrub"), Token);

        Assert.False(again);
        Assert.False(unknown);
        using var reader = _store.OpenReader();
        var events = reader.Events.After(0, 100).Where(e => e.Kind == EventKinds.PacketCorrupt).ToList();
        var entry = Assert.Single(events);
        Assert.Equal(
            $$"""{"id":"{{Hex(packet)}}","seq":1,"reason":"the signature of author X does not verify","found_by":"read"}""",
            Encoding.UTF8.GetString(entry.Payload));
        Assert.Equal("the signature of author X does not verify", reader.Packets.CorruptReason(packet.Id));
        Assert.True(_store.VerifyEventLog().IsIntact);
    }

    [Fact]
    public async Task Repairing_replaces_the_bytes_of_a_marked_packet_clears_the_mark_and_keeps_its_sequence()
    {
        var packet = TestPackets.Create(_random);
        var other = TestPackets.Create(_random);
        await TestPackets.InsertAsync(_store, packet);
        await TestPackets.InsertAsync(_store, other);
        using (var connection = TestStore.Connect(_store.Path))
        {
            TestPackets.CorruptEnvelope(connection, packet.Id);
        }

        await _store.Writer.WriteAsync(c => c.MarkCorrupt(packet.Id, "bad", "scrub"), Token);

        var repaired = await _store.Writer.WriteAsync(c => c.RepairPacket(packet), Token);
        var sound = await _store.Writer.WriteAsync(c => c.RepairPacket(other), Token);

        Assert.True(repaired);
        Assert.False(sound); // not marked: a repair never touches a sound packet
        using var reader = _store.OpenReader();
        var stored = reader.Packets.ById(packet.Id);
        Assert.NotNull(stored);
        Assert.Equal(1, stored.Seq);
        Assert.Equal(packet.Envelope, stored.Packet.Envelope);
        Assert.Equal(0, reader.Packets.CorruptCount());
        var entry = reader.Events.Head()!;
        Assert.Equal(EventKinds.PacketRepaired, entry.Kind);
        Assert.Equal($$"""{"id":"{{Hex(packet)}}","seq":1}""", Encoding.UTF8.GetString(entry.Payload));
    }

    [Fact]
    public async Task A_scrubs_progress_and_end_are_kept_in_the_store_across_a_restart()
    {
        using (var reader = _store.OpenReader())
        {
            Assert.Equal(new ScrubState(null, null), reader.Store.ScrubState());
        }

        await _store.Writer.WriteAsync(c => c.SaveScrubCursor(42), Token);
        using (var reader = _store.OpenReader())
        {
            Assert.Equal(new ScrubState(42, null), reader.Store.ScrubState());
        }

        await _store.DisposeAsync();
        await using var reopened = TestStore.Open(_directory.Path, _time);
        using (var reader = reopened.OpenReader())
        {
            Assert.Equal(new ScrubState(42, null), reader.Store.ScrubState());
        }

        await reopened.Writer.WriteAsync(c => c.CompleteScrub(new StoreScrubbedEvent(42, 8, 1, 0, 3, "schedule")), Token);

        using (var reader = reopened.OpenReader())
        {
            Assert.Equal(new ScrubState(null, _time.GetUtcNow().ToUnixTimeMilliseconds()), reader.Store.ScrubState());
            var entry = reader.Events.Head()!;
            Assert.Equal(EventKinds.StoreScrubbed, entry.Kind);
            Assert.Equal("""{"from":42,"checked":8,"unverified":1,"marked":0,"corrupt":3,"by":"schedule"}""", Encoding.UTF8.GetString(entry.Payload));
        }
    }

    private static string Hex(PacketRecord packet) => Convert.ToHexStringLower(packet.Id);
}
