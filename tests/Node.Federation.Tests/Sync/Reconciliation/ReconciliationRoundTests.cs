using Node.Federation.Sync.Reconciliation;

namespace Node.Federation.Tests.Sync.Reconciliation;

/// <summary>Round trips and bytes in small cases, and determinism: the same inputs give the same bytes.</summary>
public sealed class ReconciliationRoundTests
{
    private static readonly List<SyncKey> All = Keys.Sequence(new Random(51), 20_000, maxGap: 1UL << 30);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(20_000)]
    public void Sets_in_sync_settle_in_one_round_trip_of_a_few_hundred_bytes(int size)
    {
        var set = SyncKeySet.Create(All.Take(size));
        var outcome = Exchange.Run(set, SyncKeySet.Create(All.Take(size).Reverse()));

        Assert.True(outcome.Complete, outcome.ToString());
        Assert.Equal(1, outcome.RoundTrips);
        Assert.InRange(outcome.Bytes, 1, 512);
        Assert.Empty(outcome.Have);
        Assert.Empty(outcome.Need);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void One_difference_among_20_000_takes_at_most_three_round_trips(bool initiatorHasIt)
    {
        var all = SyncKeySet.Create(All);
        var lacking = SyncKeySet.Create(All.Where((_, i) => i != 12_345));
        var outcome = initiatorHasIt ? Exchange.Run(all, lacking) : Exchange.Run(lacking, all);

        Assert.True(outcome.Complete, outcome.ToString());
        Assert.InRange(outcome.RoundTrips, 1, 3);
        Assert.InRange(outcome.Bytes, 1, 3_000);
        Assert.Equal([All[12_345]], initiatorHasIt ? outcome.Have : outcome.Need);
    }

    [Fact]
    public void A_small_set_is_sent_as_one_id_list_and_settled_in_one_round_trip()
    {
        var outcome = Exchange.Run(SyncKeySet.Create(All.Take(20)), SyncKeySet.Create(All.Skip(5).Take(20)));

        Assert.True(outcome.Complete, outcome.ToString());
        Assert.Equal(1, outcome.RoundTrips);
        Assert.Equal(All.Take(5), outcome.Have.Order());
        Assert.Equal(All.Skip(20).Take(5), outcome.Need.Order());
    }

    [Fact]
    public void Where_most_of_a_split_differs_the_initiator_lists_ranges_at_once_instead_of_splitting_them_down()
    {
        // 25,600 keys: the initiator's 16 buckets of 1,600 come back split into 100-key ranges, nearly all differing.
        // Listed at once (≤ DenseListThreshold), they settle a round sooner than split down to lists of 6.
        var random = new Random(13);
        var (initiator, responder) = Keys.Split(random, Keys.Sequence(random, 34_000, maxGap: 1000), 0.25, 0.25);
        var dense = Exchange.Run(initiator, responder);
        var splitDown = Exchange.Run(initiator, responder, new ReconcileOptions { DenseListThreshold = ReconcileOptions.Default.IdListThreshold });

        Assert.True(dense.Complete && splitDown.Complete, $"{dense}; {splitDown}");
        Assert.Equal(splitDown.Have.Order(), dense.Have.Order());
        Assert.True(dense.RoundTrips < splitDown.RoundTrips, $"{dense}; {splitDown}");
    }

    [Fact]
    public void A_range_one_side_lacks_streams_a_full_frame_of_keys_each_round()
    {
        var options = new ReconcileOptions { FrameLimit = ReconcileOptions.MinFrameLimit };
        var outcome = Exchange.Run(SyncKeySet.Empty, SyncKeySet.Create(All), options);

        Assert.True(outcome.Complete, outcome.ToString());
        Assert.Equal(All.Order(), outcome.Need.Order());
        var keyBytes = All.Count * (SyncKey.IdLength + 4);
        Assert.InRange(outcome.RoundTrips, keyBytes / options.FrameLimit, (keyBytes / options.FrameLimit * 5 / 4) + 4); // within a quarter of full frames
    }

    [Fact]
    public void The_same_sets_give_byte_identical_messages_whatever_order_they_were_built_from()
    {
        var random = new Random(8);
        var (initiator, responder) = Keys.Split(random, All, 0.02, 0.02);
        var first = Exchange.Run(initiator, responder);
        var again = Exchange.Run(SyncKeySet.Create(initiator.Keys.ToArray().Reverse()), SyncKeySet.Create(responder.Keys.ToArray().OrderBy(_ => random.Next())));

        Assert.True(first.Complete && first.RoundTrips > 1, first.ToString());
        Assert.Equal(first.Queries, again.Queries);
        Assert.Equal(first.Replies, again.Replies);
        Assert.Equal(first.Have, again.Have);
        Assert.Equal(first.Need, again.Need);
    }

    [Fact]
    public void The_responder_gives_the_same_reply_to_the_same_query()
    {
        var random = new Random(9);
        var (initiator, responder) = Keys.Split(random, All, 0.1, 0.1);
        foreach (var query in Exchange.Run(initiator, responder).Queries)
        {
            Assert.Equal(ReconcileResponder.Respond(responder, query).Message, ReconcileResponder.Respond(responder, query).Message);
        }
    }

    [Fact]
    public void Options_out_of_range_are_named()
    {
        Assert.Null(ReconcileOptions.Default.Validate());
        Assert.Equal("ReconcileOptions.FrameLimit must be between 4096 and 1048576; was 100.", new ReconcileOptions { FrameLimit = 100 }.Validate());
        Assert.Contains("IdListThreshold", new ReconcileOptions { Buckets = 16, IdListThreshold = 8 }.Validate(), StringComparison.Ordinal);
        Assert.Contains("FingerprintBytes", new ReconcileOptions { FingerprintBytes = 2 }.Validate(), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new ReconcileInitiator(SyncKeySet.Empty, new ReconcileOptions { MaxRounds = 1 }));
        Assert.Throws<ArgumentException>(() => ReconcileResponder.Respond(SyncKeySet.Empty, Array.Empty<byte>(), new ReconcileOptions { Buckets = 1 }));
    }

    [Fact]
    public void The_initiator_is_used_in_order()
    {
        var initiator = new ReconcileInitiator(SyncKeySet.Empty);
        Assert.Throws<InvalidOperationException>(() => initiator.Step(Array.Empty<byte>(), [], []));
        var query = initiator.Initiate();
        Assert.Throws<InvalidOperationException>(() => initiator.Initiate());
        Assert.True(initiator.Step(ReconcileResponder.Respond(SyncKeySet.Empty, query).Message!, [], []).IsComplete);
        Assert.Throws<InvalidOperationException>(() => initiator.Step(query, [], []));
    }
}
