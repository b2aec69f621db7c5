using CsCheck;
using Node.Federation.Sync.Reconciliation;
using Node.Federation.Sync.Reconciliation.Internal;

namespace Node.Federation.Tests.Sync.Reconciliation;

/// <summary>
/// The initiator takes any reply at all: it never throws, refuses what is malformed or not an answer to what it asked,
/// adds nothing from a refused reply, and a responder that never lets it finish is stopped by the round limit.
/// </summary>
public sealed class InitiatorHostileTests
{
    private static readonly List<SyncKey> All = Keys.Sequence(new Random(41), 3_000, maxGap: 1000);
    private static readonly SyncKeySet Mine = SyncKeySet.Create(All.Where((_, i) => i % 10 != 0));
    private static readonly SyncKeySet Theirs = SyncKeySet.Create(All.Where((_, i) => i % 10 != 5));

    private static (ReconcileInitiator Initiator, ReconcileResult Result, List<SyncKey> Have, List<SyncKey> Need) Step(byte[] reply, SyncKeySet? set = null, ReconcileOptions? options = null)
    {
        var initiator = new ReconcileInitiator(set ?? Mine, options);
        initiator.Initiate();
        var have = new List<SyncKey>();
        var need = new List<SyncKey>();
        var result = initiator.Step(reply, have, need);
        if (!result.Succeeded)
        {
            Assert.Null(result.Message);
            Assert.False(string.IsNullOrWhiteSpace(result.Detail));
            Assert.Empty(have);
            Assert.Empty(need);
            Assert.Throws<InvalidOperationException>(() => initiator.Step(reply, have, need));
        }

        return (initiator, result, have, need);
    }

    private static ReconcileError Refusal(byte[] reply, SyncKeySet? set = null) => Step(reply, set).Result.Error;

    [Fact]
    public void Never_throws_on_random_bytes() =>
        Gen.Byte.Array[0, 3000].Sample(bytes => _ = Step(bytes), iter: 10_000);

    [Fact]
    public void Never_throws_on_mutated_replies_of_a_real_reconciliation()
    {
        var exchange = Exchange.Run(Mine, Theirs);
        Assert.True(exchange.Replies.Count >= 2);
        Gen.Select(Gen.Int[0, exchange.Replies.Count - 1], Gen.Int[0, 3], Gen.Int[0, int.MaxValue], Gen.Byte.Array[1, 16]).Sample((which, kind, at, bytes) =>
        {
            // Replay the real exchange up to the reply mutated, then give the mutation.
            var initiator = new ReconcileInitiator(Mine);
            initiator.Initiate();
            List<SyncKey> have = [], need = [];
            for (var i = 0; i < which; i++)
            {
                Assert.True(initiator.Step(exchange.Replies[i], have, need).Succeeded);
            }

            var reply = exchange.Replies[which];
            at %= reply.Length;
            byte[] mutated = kind switch
            {
                0 => [.. reply[..at], .. bytes, .. reply[at..]],
                1 => [.. reply[..at], .. reply[Math.Min(reply.Length, at + bytes.Length)..]],
                2 => reply[..at],
                _ => [.. reply[..at], .. bytes.AsSpan(0, Math.Min(bytes.Length, reply.Length - at)), .. reply[Math.Min(reply.Length, at + bytes.Length)..]],
            };
            var result = initiator.Step(mutated, have, need);
            Assert.True(result.Succeeded || result.Message is null);
            Assert.All(have, k => Assert.True(Mine.Contains(k)));
            Assert.All(need, k => Assert.False(Mine.Contains(k)));
        }, iter: 3_000);
    }

    [Fact]
    public void Refuses_a_mode_a_reply_may_not_carry_and_a_fingerprint_length_it_did_not_ask_for()
    {
        Assert.Equal(ReconcileError.ModeNotAllowed, Refusal([.. Messages.Header(), (byte)RangeMode.IdRequest]));
        Assert.Equal(ReconcileError.BadFingerprintLength, Refusal([.. Messages.Header(width: 8), 0]));
        Assert.Equal(ReconcileError.UnknownVersion, Refusal([.. Messages.Header(version: 9), 0]));
    }

    [Fact]
    public void Refuses_a_reply_over_the_frame_limit() =>
        Assert.Equal(ReconcileError.MessageTooLarge, Refusal(new byte[ReconcileOptions.Default.FrameLimit + 1]));

    [Fact]
    public void Refuses_answers_to_questions_it_did_not_ask()
    {
        // The first query of 2,700 keys is sixteen fingerprints: an id diff or keys over the whole space answer nothing it sent.
        var diff = Messages.Make(Theirs.Fingerprint(), (Bound.End, RangeMode.IdDiff, w =>
        {
            w.Varint(0);
            w.Varint(0);
            w.Bytes(new byte[Messages.Width]);
        }));
        Assert.Equal(ReconcileError.UnexpectedAnswer, Refusal(diff));

        var ids = Messages.Make(Theirs.Fingerprint(), (Bound.End, RangeMode.Ids, w => w.Varint(0)));
        Assert.Equal(ReconcileError.UnexpectedAnswer, Refusal(ids));

        // A deferral that cuts the first bucket in two.
        var cut = Messages.Make(Theirs.Fingerprint(), (Messages.At(Mine[1].Hlc), RangeMode.Skip, null), (Bound.End, RangeMode.Deferred, null));
        Assert.Equal(ReconcileError.UnexpectedAnswer, Refusal(cut));
    }

    [Fact]
    public void Refuses_a_key_it_has_sent_as_one_it_lacks()
    {
        // Ten keys are sent as one id list; the responder "answers" with one of them as a key the initiator lacks.
        var small = SyncKeySet.Create(All.Take(10));
        var reply = Messages.Make(Theirs.Fingerprint(), (Bound.End, RangeMode.IdDiff, w =>
        {
            w.Varint(10);
            w.Bytes(new byte[2]);
            w.Varint(1);
            var hlc = 0UL;
            w.Key(small[3], ref hlc);
            w.Bytes(new byte[Messages.Width]);
        }));
        Assert.Equal(ReconcileError.BadKey, Refusal(reply, small));
    }

    [Fact]
    public void Refuses_an_id_diff_for_part_of_a_list_that_was_not_empty()
    {
        // Only an empty list may be answered a part at a time: a bitmap over the entries cannot be cut.
        var small = SyncKeySet.Create(All.Take(10));
        var reply = Messages.Make(Theirs.Fingerprint(), (Messages.At(All[5].Hlc), RangeMode.IdDiff, w =>
        {
            w.Varint(10);
            w.Bytes(new byte[2]);
            w.Varint(0);
            w.Bytes(new byte[Messages.Width]);
        }), (Bound.End, RangeMode.Fingerprint, w => w.Bytes(new byte[Messages.Width])));
        Assert.Equal(ReconcileError.UnexpectedAnswer, Refusal(reply, small));
    }

    [Fact]
    public void Refuses_keys_out_of_order()
    {
        var small = SyncKeySet.Create(All.Take(10));
        var reply = Messages.Make(Theirs.Fingerprint(), (Bound.End, RangeMode.IdDiff, w =>
        {
            w.Varint(10);
            w.Bytes(new byte[2]);
            w.Varint(2);
            var hlc = 0UL;
            w.Key(All[20], ref hlc);
            w.Varint(0);
            w.Bytes(new byte[SyncKey.IdLength]); // the same timestamp, the id all zeros: below the key before it
        }));
        Assert.Equal(ReconcileError.BadKey, Refusal(reply, small));
    }

    [Fact]
    public void A_responder_that_always_splits_further_is_stopped_by_the_round_limit()
    {
        var options = new ReconcileOptions { MaxRounds = 40 };
        var outcome = Run(query => Answer(query, (writer, range) =>
        {
            // Every range asked about "differs": a fingerprint that matches nothing, for the whole range.
            writer.Range(range.Lower, range.Upper, RangeMode.Fingerprint);
            writer.Bytes([0xDE, 0xAD, 0xBE, 0xEF]);
        }), options);

        Assert.Equal(ReconcileError.TooManyRounds, outcome.Error);
        Assert.Equal(40, outcome.Rounds);
    }

    [Fact]
    public void A_responder_that_always_defers_is_stopped_by_the_round_limit()
    {
        var options = new ReconcileOptions { MaxRounds = 25 };
        var outcome = Run(query => Messages.Make(Theirs.Fingerprint(), (Bound.End, RangeMode.Deferred, null)), options);
        Assert.Equal(ReconcileError.TooManyRounds, outcome.Error);
        Assert.Equal(25, outcome.Rounds);
    }

    [Fact]
    public void A_responder_whose_set_changes_midway_is_refused()
    {
        var replies = 0;
        var outcome = Run(query =>
        {
            var reply = ReconcileResponder.Respond(Theirs, query).Message!;
            return replies++ == 0 ? reply : Messages.WithSet(reply, Mine.Fingerprint());
        });
        Assert.Equal(ReconcileError.SetChanged, outcome.Error);
    }

    [Fact]
    public void A_responder_whose_answers_do_not_add_up_to_its_set_is_refused_after_a_full_strength_pass()
    {
        // Truthful answers under a set fingerprint that is not its set's.
        var claimed = SyncKeySet.Create(All).Fingerprint();
        var outcome = Run(query => Messages.WithSet(ReconcileResponder.Respond(Theirs, query).Message!, claimed));
        Assert.Equal(ReconcileError.Inconsistent, outcome.Error);
        Assert.True(outcome.FullStrength);
    }

    [Fact]
    public void A_difference_hidden_from_the_short_fingerprints_is_found_by_the_full_strength_pass()
    {
        // The responder holds one key more than the initiator. Its short-fingerprint answers hide that key (as a
        // crafted 4-byte collision would); its set fingerprint, always at full strength, does not.
        var extra = Keys.Random(new Random(3), All[1500].Hlc + 1);
        var responder = SyncKeySet.Create(All.Append(extra));
        var initiator = SyncKeySet.Create(All);
        var outcome = Run(query =>
        {
            var full = query[1] == SyncFingerprint.Length;
            var reply = ReconcileResponder.Respond(full ? responder : initiator, query).Message!;
            return Messages.WithSet(reply, responder.Fingerprint());
        }, set: initiator);

        Assert.Null(outcome.Error);
        Assert.True(outcome.FullStrength);
        Assert.Equal([extra], outcome.Need);
        Assert.Empty(outcome.Have);
    }

    private sealed record Outcome(ReconcileError? Error, int Rounds, bool FullStrength, List<SyncKey> Have, List<SyncKey> Need);

    private static Outcome Run(Func<byte[], byte[]> responder, ReconcileOptions? options = null, SyncKeySet? set = null)
    {
        var initiator = new ReconcileInitiator(set ?? Mine, options);
        List<SyncKey> have = [], need = [];
        var query = initiator.Initiate();
        while (true)
        {
            var result = initiator.Step(responder(query), have, need);
            if (!result.Succeeded || result.IsComplete)
            {
                return new Outcome(result.Succeeded ? null : result.Error, initiator.Rounds, initiator.UsedFullStrength, have, need);
            }

            query = result.Message!;
        }
    }

    // A reply that answers each non-skip range of the query with `answer`.
    private static byte[] Answer(byte[] query, Action<MessageWriter, WireRange> answer)
    {
        MessageReader.Read(query, Direction.Query, ReconcileOptions.Default, 0, out var parsed);
        var writer = new MessageWriter();
        writer.Header(parsed!.FingerprintLength, Theirs.Fingerprint());
        foreach (var range in parsed.Ranges.Where(r => r.Mode != RangeMode.Skip))
        {
            answer(writer, range);
        }

        return writer.Finish();
    }
}
