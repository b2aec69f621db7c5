using Node.Federation.Packets;
using Node.Federation.Tests.Support;
using Node.Storage.Packets;

namespace Node.Federation.Tests.Scrub;

/// <summary>Checking a stored packet: every way its bytes can stop matching its id and signature is caught; an unknown key is not corruption.</summary>
public sealed class StoredPacketsTests : IAsyncDisposable
{
    private readonly ScrubNode _node = new();

    public ValueTask DisposeAsync() => _node.DisposeAsync();

    private KeyDirectory OwnKey => TestPackets.Keys(_node.Identity.Identity);

    private StoredPacket Stored(byte[] id)
    {
        using var reader = _node.Store.OpenReader();
        return reader.Packets.ForScrub(0, 100).Single(p => p.Packet.Id.AsSpan().SequenceEqual(id));
    }

    [Fact]
    public async Task A_packet_as_stored_is_sound_by_both_checks()
    {
        var id = await _node.PutAsync("notes", "a", "hello");

        var full = StoredPackets.Verify(Stored(id), OwnKey);
        var cheap = StoredPackets.CheckIntegrity(Stored(id));

        Assert.Equal((StoredPacketState.Sound, null), (full.State, full.Reason));
        Assert.Equal("hello", full.Body!.Content.ToStringUtf8());
        Assert.Equal(StoredPacketState.Sound, cheap.State);
    }

    [Fact]
    public async Task A_changed_payload_byte_no_longer_hashes_to_the_id_and_both_checks_say_so()
    {
        var id = await _node.PutAsync("notes", "a", "hello");
        _node.FlipBit(id);

        var full = StoredPackets.Verify(Stored(id), OwnKey);
        var cheap = StoredPackets.CheckIntegrity(Stored(id));

        Assert.Equal(StoredPacketState.Corrupt, full.State);
        Assert.StartsWith("payload hashes to ", full.Reason, StringComparison.Ordinal);
        Assert.EndsWith("not the id it was offered under", full.Reason, StringComparison.Ordinal);
        Assert.Equal((StoredPacketState.Corrupt, full.Reason), (cheap.State, cheap.Reason));
        Assert.Null(full.Body);
    }

    [Fact]
    public async Task A_changed_signature_byte_is_caught_by_the_full_check_the_cheap_one_does_not_verify_signatures()
    {
        var id = await _node.PutAsync("notes", "a", "hello");
        _node.FlipBit(id, inSignature: true);

        var full = StoredPackets.Verify(Stored(id), OwnKey);
        var cheap = StoredPackets.CheckIntegrity(Stored(id));

        Assert.Equal(StoredPacketState.Corrupt, full.State);
        Assert.Equal($"the signature of author {_node.Identity.Identity.Id} does not verify", full.Reason);
        Assert.Equal(StoredPacketState.Sound, cheap.State);
    }

    [Theory]
    [InlineData("topic", "elsewhere", "its stored topic does not match its signed body")]
    [InlineData("key", "b", "its stored key does not match its signed body")]
    [InlineData("kind", "decision", "its stored kind does not match its signed body")]
    [InlineData("author", "AAAAAAA-AAAAAAA-AAAAAAA-AAAAAAA", "its stored author does not match its signed body")]
    [InlineData("hlc", 7L, "its stored hlc does not match its signed body")]
    public async Task A_changed_column_it_is_found_by_would_serve_it_in_the_wrong_place_and_is_caught(string column, object value, string reason)
    {
        var id = await _node.PutAsync("notes", "a", "hello");
        _node.Execute($"UPDATE packets SET {column} = $value WHERE id = $id", id, value);

        var full = StoredPackets.Verify(Stored(id), OwnKey);
        var cheap = StoredPackets.CheckIntegrity(Stored(id));

        Assert.Equal((StoredPacketState.Corrupt, reason), (full.State, full.Reason));
        Assert.Equal((StoredPacketState.Corrupt, reason), (cheap.State, cheap.Reason));
    }

    [Fact]
    public async Task A_truncated_envelope_is_corrupt_and_checking_it_does_not_throw()
    {
        var id = await _node.PutAsync("notes", "a", "hello");
        _node.Execute("UPDATE packets SET envelope = $value WHERE id = $id", id, _node.Envelope(id)[..40]);

        var full = StoredPackets.Verify(Stored(id), OwnKey);

        Assert.Equal(StoredPacketState.Corrupt, full.State);
        Assert.StartsWith("not an envelope", full.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_packet_whose_author_key_is_not_known_is_unverified_not_corrupt()
    {
        var id = await _node.PutAsync("notes", "a", "hello");

        var check = StoredPackets.Verify(Stored(id), new KeyDirectory());

        Assert.Equal(StoredPacketState.Unverified, check.State);
        Assert.True(check.IsIntact);
        Assert.Contains("is not known here", check.Reason, StringComparison.Ordinal);
        Assert.NotNull(check.Body);
    }

    [Fact]
    public async Task Verifying_a_whole_store_in_small_batches_finds_every_bad_packet_in_order()
    {
        var ids = new List<byte[]>();
        for (var i = 0; i < 7; i++)
        {
            ids.Add(await _node.PutAsync("notes", $"k{i}", $"v{i}"));
        }

        _node.FlipBit(ids[1]);
        _node.FlipBit(ids[5], inSignature: true);

        using var reader = _node.Store.OpenReader();
        var scan = StoredPackets.VerifyAll(reader, StoredPackets.Keys(reader, _node.Identity.Identity.PublicKey), batchSize: 2);

        Assert.Equal(7, scan.Checked);
        Assert.Equal(0, scan.Unverified);
        Assert.Equal([(Convert.ToHexStringLower(ids[1]), 2L), (Convert.ToHexStringLower(ids[5]), 6L)],
            scan.Corrupt.Select(c => (Convert.ToHexStringLower(c.Id), c.Seq)));
    }
}
