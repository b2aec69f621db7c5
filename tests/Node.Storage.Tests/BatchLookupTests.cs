using Node.Storage.Packets;
using Node.Storage.Sync;
using Node.Storage.Tests.Support;

namespace Node.Storage.Tests;

/// <summary>Lookups of a whole sync batch in one statement: each answer is the one a lookup of that packet alone would give.</summary>
public sealed class BatchLookupTests : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly Random _random = new(45);
    private readonly NodeStore _store;

    public BatchLookupTests() => _store = TestStore.Open(_directory.Path);

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        _directory.Dispose();
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Stored_as_is_holds_only_for_a_stored_intact_packet_offered_with_the_same_bytes()
    {
        var packets = Enumerable.Range(0, 4).Select(_ => TestPackets.Create(_random)).ToList();
        foreach (var packet in packets.Take(3))
        {
            await TestPackets.InsertAsync(_store, packet);
        }

        await _store.Writer.WriteAsync(c => c.MarkCorrupt(packets[1].Id, "bad bytes", "scrub"), Token);
        var changed = packets[2].Envelope.ToArray();
        changed[^1] ^= 1;

        using var reader = _store.OpenReader();
        var found = reader.Sync.StoredAsIs([
            (packets[0].Id, packets[0].Envelope), // stored, intact, same bytes
            (packets[1].Id, packets[1].Envelope), // marked corrupt
            (packets[2].Id, changed),             // other bytes under a stored id
            (packets[3].Id, packets[3].Envelope), // not stored
            (packets[0].Id, packets[0].Envelope), // the same packet twice
        ]);

        Assert.Equal([true, false, false, false, true], found);
        Assert.Empty(reader.Sync.StoredAsIs([]));
    }

    [Fact]
    public async Task In_view_answers_each_id_as_alone_and_stops_after_the_packet_that_fills_the_reply()
    {
        var shareable = Enumerable.Range(0, 4).Select(_ => TestPackets.Create(_random)).ToList();
        var local = TestPackets.Create(_random) with { Scope = PacketScope.Local };
        var absent = TestPackets.Create(_random).Id;
        foreach (var packet in shareable.Append(local))
        {
            await TestPackets.InsertAsync(_store, packet);
        }

        await _store.Writer.WriteAsync(c => c.MarkCorrupt(shareable[1].Id, "bad bytes", "scrub"), Token);
        byte[][] ids = [shareable[0].Id, shareable[1].Id, local.Id, absent, shareable[2].Id, shareable[3].Id];

        using var reader = _store.OpenReader();
        var all = reader.Sync.InView(ids, PacketScope.Shareable, long.MaxValue);
        // Two envelopes reach the cap at the second found: the ids after it are not looked at.
        var capped = reader.Sync.InView(ids, PacketScope.Shareable, 2 * TestPackets.EnvelopeBytes);

        Assert.Equal(ids.Select(id => reader.Sync.InView(id, PacketScope.Shareable)?.Seq), all.Select(p => p?.Seq));
        Assert.Equal([shareable[0].Envelope, null, null, null, shareable[2].Envelope], capped.Select(p => p?.Envelope));
        Assert.Empty(reader.Sync.InView([], PacketScope.Shareable, 1));
    }

    [Fact]
    public async Task Presence_names_every_place_an_id_is_found()
    {
        var stored = TestPackets.Create(_random);
        var (quarantined, held, rejected, awaited, nowhere) =
            (TestPackets.Create(_random), TestPackets.Create(_random), TestPackets.Create(_random), TestPackets.Create(_random).Id, TestPackets.Create(_random).Id);
        await TestPackets.InsertAsync(_store, stored);
        await _store.Writer.WriteAsync(c =>
        {
            c.Sync.RecordRetraction(stored.Id, "author", nowhere);
            c.Sync.Quarantine(quarantined.Id, quarantined.Envelope, "peer", "test");
            c.Sync.Quarantine(rejected.Id, rejected.Envelope, "peer", "test");
            c.Sync.Reject(rejected.Id, "guardian", null);
            c.HoldPacket(held.Id, held.Envelope, "peer", [awaited]);
        }, Token);

        using var reader = _store.OpenReader();
        var found = reader.Sync.Presence([stored.Id, quarantined.Id, rejected.Id, awaited, held.Id, nowhere]);

        Assert.Equal([PacketPresence.Stored | PacketPresence.Retracted, PacketPresence.Quarantined, PacketPresence.Rejected, PacketPresence.AwaitedByHeld,
            PacketPresence.None, PacketPresence.None], found);
        Assert.Empty(reader.Sync.Presence([]));
    }
}
