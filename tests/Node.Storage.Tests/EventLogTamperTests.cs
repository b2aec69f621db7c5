using System.Text;
using Microsoft.Data.Sqlite;
using Node.Storage.Events;
using Node.Storage.Tests.Support;

namespace Node.Storage.Tests;

public sealed class EventLogTamperTests : IDisposable
{
    // store.created is entry 1; the test's appends are 2 to 31.
    private const int Appended = 30;
    private const long Head = Appended + 1;

    private readonly TempDirectory _directory = new();

    private string DatabasePath => _directory.Combine(NodeStore.FileName);

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task An_intact_log_verifies_up_to_its_head_seq_and_hash()
    {
        var appended = await CreateStoreAsync();

        var result = Verify();

        Assert.True(result.IsIntact, result.ToString());
        Assert.Null(result.Problem);
        Assert.Equal(Head, result.Verified);
        Assert.Equal(Head, result.HeadSeq);
        Assert.Equal(appended[^1].Hash, result.HeadHash);
        Assert.Equal(EventChain.Hash(appended[^1].PrevHash, Head, appended[^1].Time, appended[^1].Kind, appended[^1].Payload), result.HeadHash);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(17)]
    [InlineData(Head)]
    public async Task A_changed_byte_in_one_payload_is_reported_at_that_entry(long seq)
    {
        await CreateStoreAsync();
        EventTamper.Apply(DatabasePath, Tampering.ChangePayloadByte, seq);

        var result = Verify();

        Assert.Equal(seq, result.FirstBadSeq);
        Assert.Equal(seq - 1, result.HeadSeq);
        Assert.Equal(seq - 1, result.Verified);
        Assert.Contains("content was changed", result.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(17)]
    [InlineData(Head - 1)]
    public async Task A_deleted_entry_is_reported_at_the_entry_after_the_gap_naming_the_missing_one(long seq)
    {
        await CreateStoreAsync();
        EventTamper.Apply(DatabasePath, Tampering.DeleteEntry, seq);

        var result = Verify();

        // The first entry that does not chain is the one after the gap; the problem names the gap.
        Assert.Equal(seq + 1, result.FirstBadSeq);
        Assert.Equal(seq - 1, result.HeadSeq);
        Assert.Equal($"entries {seq} to {seq} are missing", result.Problem);
    }

    [Theory]
    [InlineData(5, 6)]
    [InlineData(5, 23)]
    [InlineData(2, Head)]
    public async Task Two_swapped_entries_are_reported_at_the_first_of_them(long first, long second)
    {
        await CreateStoreAsync();
        EventTamper.Apply(DatabasePath, Tampering.SwapEntries, first, second);

        var result = Verify();

        Assert.Equal(first, result.FirstBadSeq);
        Assert.Equal(first - 1, result.HeadSeq);
        Assert.Contains("does not follow", result.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Tampering.ChangePayloadByte, 20, 0, 20)]
    [InlineData(Tampering.DeleteEntry, 20, 0, 21)]
    [InlineData(Tampering.SwapEntries, 20, 25, 20)]
    public async Task A_store_whose_verified_tail_was_tampered_with_is_refused_untouched(Tampering tampering, long seq, long otherSeq, long firstBad)
    {
        await CreateStoreAsync();
        EventTamper.Apply(DatabasePath, tampering, seq, otherSeq);
        var before = FileSnapshot.Sha256(DatabasePath);

        var refused = Assert.Throws<StoreOpenException>(() => TestStore.Open(_directory.Path, options: new StoreOptions { VerifyTailAtStart = 15 }));

        Assert.Equal(StoreProblem.BrokenEventLog, refused.Problem);
        Assert.Contains($"broken at entry {firstBad}:", refused.Message, StringComparison.Ordinal);
        Assert.Contains("restore it from a backup", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, FileSnapshot.Sha256(DatabasePath));
    }

    [Fact]
    public async Task Damage_older_than_the_verified_tail_opens_but_the_full_verification_finds_it()
    {
        await CreateStoreAsync();
        EventTamper.Apply(DatabasePath, Tampering.ChangePayloadByte, 3);

        await using var store = TestStore.Open(_directory.Path, options: new StoreOptions { VerifyTailAtStart = 15 });

        Assert.Equal(3, store.VerifyEventLog().FirstBadSeq);
    }

    [Fact]
    public async Task A_payload_rewritten_as_text_is_reported_not_thrown()
    {
        await CreateStoreAsync();
        using (var connection = TestStore.Connect(DatabasePath))
        {
            EventTamper.Unguard(connection);
            TestStore.Execute(connection, "UPDATE events SET payload = 'rewritten' WHERE seq = 7");
        }

        var result = Verify();

        Assert.Equal(7, result.FirstBadSeq);
        Assert.Equal(StoreProblem.BrokenEventLog, Assert.Throws<StoreOpenException>(() => TestStore.Open(_directory.Path)).Problem);
    }

    // A store with store.created and 30 appends (a packet every third, plain events otherwise, the
    // last one plain), closed; returns the plain events' entries as the writer appended them.
    private async Task<List<EventEntry>> CreateStoreAsync()
    {
        var random = new Random(7);
        var appended = new List<EventEntry>();
        await using var store = TestStore.Open(_directory.Path);
        for (var i = 0; i < Appended; i++)
        {
            if (i % 3 == 1)
            {
                await TestPackets.InsertAsync(store, TestPackets.Create(random, envelopeBytes: 64));
                continue;
            }

            var payload = Encoding.UTF8.GetBytes($$"""{"n":{{i}}}""");
            appended.Add(await store.Writer.WriteAsync(c => c.AppendEvent("test.note", payload), TestContext.Current.CancellationToken));
        }

        Assert.Equal(Head, appended[^1].Seq);
        return appended;
    }

    private ChainVerification Verify()
    {
        using var connection = TestStore.Connect(DatabasePath, SqliteOpenMode.ReadOnly);
        return EventLog.Verify(connection);
    }
}
