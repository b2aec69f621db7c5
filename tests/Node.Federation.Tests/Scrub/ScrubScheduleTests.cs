using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Node.Federation.Packets;
using Node.Federation.Tests.Support;
using Node.Storage;
using Node.Storage.Events;

namespace Node.Federation.Tests.Scrub;

/// <summary>The scheduled scrub: on its interval counted from the last one's end (kept in the store), going on after a restart where it stopped.</summary>
public sealed class ScrubScheduleTests : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(6);

    private readonly ScrubNode _node = new(new StoreOptions { ScrubInterval = Interval, ScrubBatchSize = 2 });

    public ValueTask DisposeAsync() => _node.DisposeAsync();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_scrub_is_due_at_once_when_none_ever_ran_then_only_once_the_interval_has_passed_since_it_ended()
    {
        await _node.PutAsync("notes", "a", "1");

        var first = await _node.Scrub.RunIfDueAsync(Token);
        _node.Time.Advance(Interval - TimeSpan.FromMinutes(1));
        var early = await _node.Scrub.RunIfDueAsync(Token);
        _node.Time.Advance(TimeSpan.FromMinutes(1));
        var due = await _node.Scrub.RunIfDueAsync(Token);

        Assert.Equal(1, first?.Checked);
        Assert.Null(early);
        Assert.Equal(1, due?.Checked);
        Assert.All(_node.Events(EventKinds.StoreScrubbed), e => Assert.Equal("schedule", e.GetProperty("by").GetString()));
    }

    [Fact]
    public async Task A_scrub_interrupted_by_a_stop_goes_on_after_what_it_had_verified()
    {
        for (var i = 0; i < 5; i++)
        {
            await _node.PutAsync("notes", $"k{i}", "v");
        }

        // As a scrub stopped after its second batch leaves the store, even though the last one ended just now.
        await _node.Store.Writer.WriteAsync(c =>
        {
            c.CompleteScrub(new Node.Storage.Events.Payloads.StoreScrubbedEvent(0, 0, 0, 0, 0, "schedule"));
            c.SaveScrubCursor(4);
        }, Token);

        var resumed = await _node.Scrub.RunIfDueAsync(Token);

        Assert.Equal((4L, 1L), (resumed?.From, resumed?.Checked));
        using var reader = _node.Store.OpenReader();
        Assert.Null(reader.Store.ScrubState().Cursor);
    }

    [Fact]
    public async Task An_operators_scrub_covers_everything_and_restarts_the_interval()
    {
        await _node.PutAsync("notes", "a", "1");
        await _node.Store.Writer.WriteAsync(c => c.SaveScrubCursor(1), Token);

        var report = await _node.Scrub.RunAsync("operator", Token);
        var scheduled = await _node.Scrub.RunIfDueAsync(Token);

        Assert.Equal((0L, 1L), (report.From, report.Checked));
        Assert.Null(scheduled);
    }

    [Fact]
    public async Task The_worker_runs_a_scrub_on_each_interval_of_fake_time()
    {
        var ids = new List<byte[]>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await _node.PutAsync("notes", $"k{i}", "v"));
        }

        using var worker = new PacketScrubWorker(_node.Scrub, Options.Create(_node.Options), _node.Time, NullLogger<PacketScrubWorker>.Instance);
        await worker.StartAsync(Token);

        // Checks each hour; the first check finds that no scrub ever ran.
        var check = worker.NextCheckAsync();
        _node.Time.Advance(PacketScrubWorker.CheckEvery);
        await check.WaitAsync(Token);
        Assert.Single(_node.Events(EventKinds.StoreScrubbed));

        _node.FlipBit(ids[2]);
        for (var hour = 2; hour <= 6; hour++)
        {
            check = worker.NextCheckAsync();
            _node.Time.Advance(PacketScrubWorker.CheckEvery);
            await check.WaitAsync(Token);
            // Not due before the interval has passed since the first ended (at hour 1).
            Assert.Single(_node.Events(EventKinds.StoreScrubbed));
        }

        check = worker.NextCheckAsync();
        _node.Time.Advance(PacketScrubWorker.CheckEvery);
        await check.WaitAsync(Token);

        var scrubs = _node.Events(EventKinds.StoreScrubbed);
        Assert.Equal(2, scrubs.Count);
        Assert.Equal(1, scrubs[1].GetProperty("marked").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(ids[2]), Assert.Single(_node.Events(EventKinds.PacketCorrupt)).GetProperty("id").GetString());
        await worker.StopAsync(Token);
    }

    [Fact]
    public async Task With_the_interval_0_the_worker_never_scrubs()
    {
        await using var node = new ScrubNode(new StoreOptions { ScrubInterval = TimeSpan.Zero });
        using var worker = new PacketScrubWorker(node.Scrub, Options.Create(node.Options), node.Time, NullLogger<PacketScrubWorker>.Instance);

        await worker.StartAsync(Token);
        node.Time.Advance(TimeSpan.FromDays(30));
        await worker.ExecuteTask!.WaitAsync(Token);

        Assert.Null(await node.Scrub.RunIfDueAsync(Token));
        Assert.Empty(node.Events(EventKinds.StoreScrubbed));
    }
}
