using Microsoft.Data.Sqlite;
using Node.Storage.Events;
using Node.Storage.Packets;
using Node.Storage.Tests.Support;

namespace Node.Storage.Tests;

public sealed class StoreWriterTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private readonly Random _random = new(11);
    private NodeStore _store = null!;

    public ValueTask InitializeAsync()
    {
        _store = TestStore.Open(_directory.Path);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task A_write_is_acknowledged_only_once_its_transaction_committed()
    {
        var packet = TestPackets.Create(_random);
        var inside = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var proceed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var write = _store.Writer.WriteAsync(c =>
        {
            var result = c.InsertPacket(packet);
            inside.SetResult();
            proceed.Task.GetAwaiter().GetResult();
            return result;
        }, TestContext.Current.CancellationToken);
        using var reader = _store.OpenReader();

        await inside.Task.WaitAsync(TestContext.Current.CancellationToken);
        Assert.False(write.IsCompleted);
        Assert.Null(TestPackets.StoredEnvelope(reader, packet.Id));

        proceed.SetResult();
        var inserted = await write;

        Assert.True(inserted.Inserted);
        Assert.Equal(packet.Envelope, TestPackets.StoredEnvelope(reader, packet.Id));
    }

    [Fact]
    public async Task Every_acknowledged_write_is_visible_to_a_reader_when_its_task_completes()
    {
        var packets = Enumerable.Range(0, 50).Select(_ => TestPackets.Create(_random)).ToList();

        var seen = await Task.WhenAll(packets.Select(async packet =>
        {
            await TestPackets.InsertAsync(_store, packet);
            using var reader = _store.OpenReader();
            return TestPackets.StoredEnvelope(reader, packet.Id) is not null;
        }));

        Assert.All(seen, Assert.True);
    }

    [Fact]
    public async Task Writes_queued_together_commit_in_one_batch()
    {
        const int Writes = 200;
        using var gate = await WriterGate.HoldAsync(_store.Writer);
        var before = _store.Writer.CommittedBatches;
        var writes = Enumerable.Range(0, Writes).Select(_ => TestPackets.InsertAsync(_store, TestPackets.Create(_random))).ToList();

        await gate.ReleaseAsync();
        var inserted = await Task.WhenAll(writes);

        // The gate's batch, then one for all 200.
        Assert.Equal(2, _store.Writer.CommittedBatches - before);
        Assert.All(inserted, i => Assert.True(i.Inserted));
        Assert.True(_store.VerifyEventLog().IsIntact);
    }

    [Fact]
    public async Task A_batch_holds_at_most_the_configured_number_of_writes()
    {
        await _store.DisposeAsync();
        _store = TestStore.Open(_directory.Path, options: new StoreOptions { MaxBatchSize = 50 });
        using var gate = await WriterGate.HoldAsync(_store.Writer);
        var before = _store.Writer.CommittedBatches;
        var writes = Enumerable.Range(0, 200).Select(_ => TestPackets.InsertAsync(_store, TestPackets.Create(_random))).ToList();

        await gate.ReleaseAsync();
        await Task.WhenAll(writes);

        Assert.Equal(1 + (200 / 50), _store.Writer.CommittedBatches - before);
    }

    [Fact]
    public async Task A_write_that_throws_is_rolled_back_alone_and_the_rest_of_its_batch_commits()
    {
        var first = TestPackets.Create(_random);
        var failing = TestPackets.Create(_random);
        var last = TestPackets.Create(_random);
        using var gate = await WriterGate.HoldAsync(_store.Writer);
        var before = _store.Writer.CommittedBatches;

        var firstWrite = TestPackets.InsertAsync(_store, first);
        var failingWrite = _store.Writer.WriteAsync(c =>
        {
            c.InsertPacket(failing);
            c.AppendEvent("test.doomed", "{}"u8);
            throw new InvalidOperationException("the work failed");
        }, TestContext.Current.CancellationToken);
        var lastWrite = TestPackets.InsertAsync(_store, last);
        await gate.ReleaseAsync();

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => failingWrite);
        Assert.Equal("the work failed", thrown.Message);
        var firstSeq = (await firstWrite).Seq;
        var lastSeq = (await lastWrite).Seq;
        Assert.Equal(2, _store.Writer.CommittedBatches - before);

        using var reader = _store.OpenReader();
        Assert.NotNull(TestPackets.StoredEnvelope(reader, first.Id));
        Assert.NotNull(TestPackets.StoredEnvelope(reader, last.Id));
        Assert.Null(TestPackets.StoredEnvelope(reader, failing.Id));
        Assert.Equal(0, TestStore.Scalar<long>(reader, "SELECT count(*) FROM events WHERE kind = 'test.doomed' OR payload = $id", ("$id", failing.Id)));
        Assert.Equal(
            [Convert.ToHexStringLower(first.Id), Convert.ToHexStringLower(last.Id)],
            reader.Events.Tail(2).Select(e => Convert.ToHexStringLower(e.Payload)));
        Assert.True(lastSeq > firstSeq);
        var chain = _store.VerifyEventLog();
        Assert.True(chain.IsIntact, chain.ToString());
    }

    [Fact]
    public async Task Inserting_a_packet_twice_stores_it_once_and_returns_its_first_sequence()
    {
        var packet = TestPackets.Create(_random);

        var first = await TestPackets.InsertAsync(_store, packet);
        var again = await TestPackets.InsertAsync(_store, packet with { Envelope = [1, 2, 3] });

        Assert.Equal(new PacketInsert(true, first.Seq), first);
        Assert.Equal(new PacketInsert(false, first.Seq), again);
        using var reader = _store.OpenReader();
        Assert.Equal(packet.Envelope, TestPackets.StoredEnvelope(reader, packet.Id));
        Assert.Equal(1, TestStore.Scalar<long>(reader, "SELECT count(*) FROM events WHERE kind = $kind AND payload = $id",
            ("$kind", EventKinds.PacketAccepted), ("$id", packet.Id)));
    }

    [Fact]
    public async Task Inserting_a_packet_twice_in_one_batch_stores_it_once()
    {
        var packet = TestPackets.Create(_random);
        using var gate = await WriterGate.HoldAsync(_store.Writer);

        var first = TestPackets.InsertAsync(_store, packet);
        var again = TestPackets.InsertAsync(_store, packet);
        await gate.ReleaseAsync();

        Assert.True((await first).Inserted);
        Assert.Equal(new PacketInsert(false, (await first).Seq), await again);
    }

    [Fact]
    public async Task The_receive_sequence_increases_with_every_stored_packet_across_reopening()
    {
        var seqs = new List<long>();
        for (var i = 0; i < 20; i++)
        {
            seqs.Add((await TestPackets.InsertAsync(_store, TestPackets.Create(_random))).Seq);
        }

        await _store.DisposeAsync();
        _store = TestStore.Open(_directory.Path);
        for (var i = 0; i < 5; i++)
        {
            seqs.Add((await TestPackets.InsertAsync(_store, TestPackets.Create(_random))).Seq);
        }

        Assert.Equal(seqs.Order(), seqs);
        Assert.Equal(seqs.Count, seqs.Distinct().Count());
    }

    [Fact]
    public async Task A_receive_sequence_is_never_reused_after_the_newest_packet_is_removed()
    {
        var kept = await TestPackets.InsertAsync(_store, TestPackets.Create(_random));
        var removed = await TestPackets.InsertAsync(_store, TestPackets.Create(_random));
        await _store.Writer.WriteAsync(c =>
        {
            var delete = c.Command("DELETE FROM packets WHERE seq = $seq");
            delete.Parameters.AddWithValue("$seq", removed.Seq);
            delete.ExecuteNonQuery();
        }, TestContext.Current.CancellationToken);

        var next = await TestPackets.InsertAsync(_store, TestPackets.Create(_random));

        Assert.True(kept.Seq < removed.Seq);
        Assert.True(next.Seq > removed.Seq, $"seq {removed.Seq} was given again to a new packet ({next.Seq})");
    }

    [Fact]
    public async Task A_cancelled_write_that_was_not_run_yet_is_not_stored()
    {
        var packet = TestPackets.Create(_random);
        using var cancel = new CancellationTokenSource();
        using var gate = await WriterGate.HoldAsync(_store.Writer);

        var write = _store.Writer.WriteAsync(c => c.InsertPacket(packet), cancel.Token);
        await cancel.CancelAsync();
        await gate.ReleaseAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => write);
        using var reader = _store.OpenReader();
        Assert.Null(TestPackets.StoredEnvelope(reader, packet.Id));
    }

    [Fact]
    public async Task Queued_writes_are_committed_before_the_store_closes()
    {
        var packets = Enumerable.Range(0, 100).Select(_ => TestPackets.Create(_random)).ToList();
        var writes = packets.Select(p => TestPackets.InsertAsync(_store, p)).ToList();

        await _store.DisposeAsync();
        await Task.WhenAll(writes);
        _store = TestStore.Open(_directory.Path);

        using var reader = _store.OpenReader();
        var stored = TestPackets.StoredIds(reader);
        Assert.All(packets, p => Assert.Contains(Convert.ToHexStringLower(p.Id), stored));
    }

    [Fact]
    public async Task A_write_after_the_store_closed_is_refused()
    {
        await _store.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => TestPackets.InsertAsync(_store, TestPackets.Create(_random)));

        _store = TestStore.Open(_directory.Path);
    }

    [Fact]
    public async Task Closing_a_store_twice_is_harmless()
    {
        var directory = _directory.CreateDirectory("twice");
        var store = TestStore.Open(directory);

        await store.DisposeAsync();
        await store.DisposeAsync();
    }

    [Fact]
    public async Task A_write_callback_that_queues_another_write_fails_at_once_with_a_clear_error()
    {
        var nested = _store.Writer.WriteAsync(c =>
        {
            c.InsertPacket(TestPackets.Create(_random));
            // A write waiting for a write on the writer's own thread would wait for itself.
            return _store.Writer.WriteAsync(_ => { }).IsCompleted;
        }, TestContext.Current.CancellationToken);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => nested.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));

        Assert.Contains("from inside another write's callback", refused.Message, StringComparison.Ordinal);
        using var reader = _store.OpenReader();
        Assert.Empty(TestPackets.StoredIds(reader)); // the outer write was rolled back alone
        Assert.True((await TestPackets.InsertAsync(_store, TestPackets.Create(_random))).Inserted); // and the writer goes on
    }

    [Fact]
    public async Task A_raised_clock_ceiling_is_durable_once_a_write_queued_after_it_is()
    {
        using (var gate = await WriterGate.HoldAsync(_store.Writer))
        {
            // Raised while the writer is busy: never waits for it.
            _store.Writer.RaiseClockCeiling(1_000);
            _store.Writer.RaiseClockCeiling(900); // never lowers it
            Assert.Equal(0, _store.Writer.ClockCeiling);
            var write = TestPackets.InsertAsync(_store, TestPackets.Create(_random));

            await gate.ReleaseAsync();
            await write;

            // Committed no later than the write queued after the raise: durable whenever it is.
            Assert.Equal(1_000, _store.Writer.ClockCeiling);
        }

        await _store.DisposeAsync();
        _store = TestStore.Open(_directory.Path);
        Assert.Equal(1_000, _store.Writer.ClockCeiling);
    }

    [Fact]
    public async Task A_clock_ceiling_raised_while_nothing_else_is_written_is_committed_on_its_own()
    {
        var committed = _store.Writer.Committed.Next;

        _store.Writer.RaiseClockCeiling(5_000);
        await committed.WaitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(5_000, _store.Writer.ClockCeiling);
        await _store.DisposeAsync();
        _store = TestStore.Open(_directory.Path);
        Assert.Equal(5_000, _store.Writer.ClockCeiling);
    }
}
