using CsCheck;
using Node.Federation.Trust;

namespace Node.Federation.Tests.Trust;

public sealed class CurrentValueTests
{
    private static byte[] Id(byte last)
    {
        var id = new byte[32];
        id[0] = 0xAB;
        id[31] = last;
        return id;
    }

    private static SlotCandidate Packet(byte id, TrustTier tier = TrustTier.Core, ulong hlc = 100, params byte[] supersedes) =>
        new(Id(id), tier, hlc, false, [.. supersedes.Select(Id)]);

    private static SlotCandidate Retraction(byte id, TrustTier tier, ulong hlc, params byte[] supersedes) =>
        new(Id(id), tier, hlc, true, [.. supersedes.Select(Id)]);

    [Fact]
    public void An_empty_slot_has_no_value_and_no_contradiction()
    {
        var slot = CurrentValue.Resolve([]);

        Assert.Null(slot.Current);
        Assert.False(slot.Retracted);
        Assert.Empty(slot.Contenders);
        Assert.False(slot.IsContradiction);
    }

    [Fact]
    public void A_single_packet_is_the_current_value()
    {
        var only = Packet(1);

        var slot = CurrentValue.Resolve([only]);

        Assert.Same(only, slot.Current);
        Assert.False(slot.IsContradiction);
    }

    [Fact]
    public void A_higher_tier_beats_a_later_time_and_a_larger_id()
    {
        var core = Packet(1, TrustTier.Core, hlc: 100);
        var sandbox = Packet(9, TrustTier.Sandbox, hlc: 900);

        Assert.Same(core, CurrentValue.Resolve([sandbox, core]).Current);
        Assert.Same(core, CurrentValue.Resolve([core, sandbox]).Current);
    }

    [Fact]
    public void Tiers_rank_core_then_sandbox_then_external_then_unknown()
    {
        var unknown = Packet(4, TrustTier.Unknown, hlc: 400);
        var external = Packet(3, TrustTier.External, hlc: 300);
        var sandbox = Packet(2, TrustTier.Sandbox, hlc: 200);
        var core = Packet(1, TrustTier.Core, hlc: 100);

        Assert.Equal([core, sandbox, external, unknown], CurrentValue.Resolve([unknown, external, sandbox, core]).Contenders);
    }

    [Fact]
    public void Within_a_tier_a_later_time_beats_a_larger_id()
    {
        var later = Packet(1, hlc: 200);
        var largerId = Packet(9, hlc: 100);

        Assert.Same(later, CurrentValue.Resolve([largerId, later]).Current);
    }

    [Fact]
    public void The_counter_of_the_hybrid_timestamp_counts_as_time()
    {
        var second = Packet(1, hlc: (1_000UL << 16) | 2);
        var first = Packet(9, hlc: (1_000UL << 16) | 1);

        Assert.Same(second, CurrentValue.Resolve([first, second]).Current);
    }

    [Fact]
    public void With_the_same_tier_and_time_the_larger_id_wins_bytewise()
    {
        var small = new SlotCandidate([0x7F, .. new byte[31]], TrustTier.Core, 100, false, []);
        var large = new SlotCandidate([0x80, .. new byte[31]], TrustTier.Core, 100, false, []);

        Assert.Same(large, CurrentValue.Resolve([small, large]).Current);
        Assert.Same(large, CurrentValue.Resolve([large, small]).Current);
    }

    [Fact]
    public void A_superseded_packet_drops_out_even_when_it_would_win()
    {
        var old = Packet(9, TrustTier.Core, hlc: 900);
        var replacement = Packet(1, TrustTier.Core, hlc: 100, supersedes: 9);

        var slot = CurrentValue.Resolve([old, replacement]);

        Assert.Same(replacement, slot.Current);
        Assert.Equal([replacement], slot.Contenders);
        Assert.False(slot.IsContradiction);
    }

    [Fact]
    public void A_chain_of_replacements_leaves_only_the_last()
    {
        var first = Packet(1, hlc: 100);
        var second = Packet(2, hlc: 200, supersedes: 1);
        var third = Packet(3, hlc: 300, supersedes: 2);

        var slot = CurrentValue.Resolve([third, first, second]);

        Assert.Same(third, slot.Current);
        Assert.Equal([third], slot.Contenders);
    }

    [Fact]
    public void A_packet_superseded_by_one_that_is_itself_superseded_stays_out()
    {
        var first = Packet(1, hlc: 100);
        var second = Packet(2, hlc: 200, supersedes: 1);
        var third = Packet(3, hlc: 50, supersedes: 2);

        Assert.Equal([third], CurrentValue.Resolve([first, second, third]).Contenders);
    }

    [Fact]
    public void Superseding_a_packet_that_is_not_here_changes_nothing()
    {
        var packet = Packet(1, supersedes: 42);

        Assert.Same(packet, CurrentValue.Resolve([packet]).Current);
    }

    [Fact]
    public void A_retraction_of_the_only_value_empties_the_slot()
    {
        var value = Packet(1, hlc: 100);
        var retraction = Retraction(2, TrustTier.Core, hlc: 200, supersedes: 1);

        var slot = CurrentValue.Resolve([value, retraction]);

        Assert.Null(slot.Current);
        Assert.True(slot.Retracted);
        Assert.Empty(slot.Contenders);
        Assert.False(slot.IsContradiction);
    }

    [Fact]
    public void A_retraction_removes_only_what_it_supersedes()
    {
        var kept = Packet(1, TrustTier.Core, hlc: 100);
        var target = Packet(2, TrustTier.Core, hlc: 50);
        var retraction = Retraction(3, TrustTier.Core, hlc: 200, supersedes: 2);

        var slot = CurrentValue.Resolve([kept, target, retraction]);

        Assert.Same(kept, slot.Current);
        Assert.False(slot.Retracted);
    }

    [Fact]
    public void The_same_packet_offered_twice_is_no_contradiction()
    {
        var value = Packet(1, hlc: 100);

        var slot = CurrentValue.Resolve([value, value]);

        Assert.Same(value, slot.Current);
        Assert.False(slot.IsContradiction);
    }

    [Fact]
    public void A_lower_tier_cannot_supersede_or_retract_a_higher_tiers_packet()
    {
        var core = Packet(1, TrustTier.Core, hlc: 100);
        var retraction = Retraction(2, TrustTier.Sandbox, hlc: 200, supersedes: 1);
        var replacement = Packet(3, TrustTier.External, hlc: 300, supersedes: 1);

        var slot = CurrentValue.Resolve([core, retraction, replacement]);

        Assert.Same(core, slot.Current);
        Assert.Equal([core, replacement], slot.Contenders);
        Assert.True(slot.IsContradiction);
    }

    [Fact]
    public void A_retracted_packet_stays_out_even_when_the_retraction_loses_to_another_value()
    {
        var retracted = Packet(1, TrustTier.Core, hlc: 100);
        var retraction = Retraction(2, TrustTier.Core, hlc: 200, supersedes: 1);
        var other = Packet(3, TrustTier.Sandbox, hlc: 150);

        var slot = CurrentValue.Resolve([retracted, retraction, other]);

        Assert.Same(other, slot.Current);
        Assert.False(slot.Retracted);
        Assert.Equal([other], slot.Contenders);
    }

    [Fact]
    public void A_later_value_after_a_retraction_fills_the_slot_again()
    {
        var retracted = Packet(1, hlc: 100);
        var retraction = Retraction(2, TrustTier.Core, hlc: 200, supersedes: 1);
        var again = Packet(3, hlc: 300, supersedes: 2);

        var slot = CurrentValue.Resolve([retracted, retraction, again]);

        Assert.Same(again, slot.Current);
        Assert.False(slot.Retracted);
    }

    [Fact]
    public void Two_standing_packets_are_a_contradiction_with_the_winner_first()
    {
        var mine = Packet(1, hlc: 100);
        var theirs = Packet(2, hlc: 200);

        var slot = CurrentValue.Resolve([mine, theirs]);

        Assert.True(slot.IsContradiction);
        Assert.Same(theirs, slot.Current);
        Assert.Equal([theirs, mine], slot.Contenders);
    }

    [Fact]
    public void Resolving_does_not_change_the_candidates_given()
    {
        SlotCandidate[] candidates = [Packet(1, hlc: 100), Packet(2, hlc: 300), Packet(3, hlc: 200)];
        SlotCandidate[] copy = [.. candidates];

        _ = CurrentValue.Resolve(candidates);

        Assert.Equal(copy, candidates);
    }

    // Candidates with few tiers and times so ties happen, distinct ids sharing a prefix so the id decides
    // bytewise, and supersedes that point at each other, at nothing, or at retractions.
    private static readonly Gen<SlotCandidate[]> Candidates =
        Gen.Int[1, 9].SelectMany(count =>
            Gen.Select(Gen.Enum<TrustTier>(), Gen.ULong[0, 3], Gen.Bool, Gen.Int[0, count + 2].Array[0, 2], Gen.Byte)
                .Array[count]
                .Select(rows => rows.Select((row, i) =>
                {
                    var (tier, hlc, retraction, targets, salt) = row;
                    return new SlotCandidate(CandidateId(i, salt), tier, hlc, retraction && targets.Length > 0,
                        [.. targets.Where(t => t != i).Select(t => CandidateId(t, rows[Math.Min(t, count - 1)].Item5))]);
                }).DistinctBy(c => Convert.ToHexString(c.Id)).ToArray()));

    private static byte[] CandidateId(int index, byte salt)
    {
        var id = new byte[32];
        id[0] = salt;
        id[31] = (byte)index;
        return id;
    }

    private static string Describe(SlotResolution slot) =>
        $"{(slot.Current is null ? "-" : Convert.ToHexString(slot.Current.Id))} retracted={slot.Retracted} " +
        string.Join(",", slot.Contenders.Select(c => Convert.ToHexString(c.Id)));

    [Fact]
    public void The_rule_gives_the_same_answer_for_any_arrival_order() =>
        Candidates.SelectMany(candidates => Gen.Shuffle((SlotCandidate[])candidates.Clone()).Select(shuffled => (candidates, shuffled)))
            .Sample((candidates, shuffled) =>
                Assert.Equal(Describe(CurrentValue.Resolve(candidates)), Describe(CurrentValue.Resolve(shuffled))),
                iter: 5_000);

    [Fact]
    public void The_contenders_are_exactly_the_unsuperseded_candidates_best_first() =>
        Candidates.Sample(candidates =>
        {
            // Superseded: named by a packet whose author's tier is at least the target's.
            var superseded = candidates.Where(target => candidates.Any(c => c.AuthorTier >= target.AuthorTier &&
                    c.Supersedes.Any(s => s.AsSpan().SequenceEqual(target.Id))))
                .Select(c => Convert.ToHexString(c.Id)).ToHashSet();
            var slot = CurrentValue.Resolve(candidates);

            Assert.Equal(
                candidates.Where(c => !c.IsRetraction && !superseded.Contains(Convert.ToHexString(c.Id))).Select(c => Convert.ToHexString(c.Id)).Order(),
                slot.Contenders.Select(c => Convert.ToHexString(c.Id)).Order());
            for (var i = 1; i < slot.Contenders.Count; i++)
            {
                var (a, b) = (slot.Contenders[i - 1], slot.Contenders[i]);
                var better = a.AuthorTier != b.AuthorTier ? a.AuthorTier > b.AuthorTier
                    : a.Hlc != b.Hlc ? a.Hlc > b.Hlc
                    : a.Id.AsSpan().SequenceCompareTo(b.Id) > 0;
                Assert.True(better, $"{Describe(slot)} is not best first at {i}");
            }

            Assert.Equal(slot.Contenders.Count == 0 && candidates.Any(c => c.IsRetraction), slot.Retracted);
            Assert.Equal(slot.Contenders.Count > 0 ? slot.Contenders[0] : null, slot.Current);
        }, iter: 5_000);
}
