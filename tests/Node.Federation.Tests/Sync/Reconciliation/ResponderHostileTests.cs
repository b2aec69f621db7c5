using CsCheck;
using Node.Federation.Sync.Reconciliation;
using Node.Federation.Sync.Reconciliation.Internal;

namespace Node.Federation.Tests.Sync.Reconciliation;

/// <summary>The responder takes any bytes at all: it never throws, refuses what is malformed naming the problem, and bounds its work.</summary>
public sealed class ResponderHostileTests
{
    private static readonly SyncKeySet Set = SyncKeySet.Create(Keys.Sequence(new Random(31), 3_000, maxGap: 1000));
    private static readonly SyncFingerprint Other = SyncKeySet.Create([Keys.Random(new Random(1), 1)]).Fingerprint();

    private static ReconcileResult Respond(byte[] query, ReconcileOptions? options = null)
    {
        var result = ReconcileResponder.Respond(Set, query, options);
        if (result.Succeeded)
        {
            Assert.InRange(result.Message!.Length, Wire.HeaderLength + 1, (options ?? ReconcileOptions.Default).FrameLimit);
        }
        else
        {
            Assert.Null(result.Message);
            Assert.False(string.IsNullOrWhiteSpace(result.Detail));
        }

        return result;
    }

    private static ReconcileError Refusal(byte[] query, ReconcileOptions? options = null) => Respond(query, options).Error;

    [Fact]
    public void Never_throws_on_random_bytes() =>
        Gen.Byte.Array[0, 3000].Sample(bytes => _ = Respond(bytes), iter: 20_000);

    [Fact]
    public void Never_throws_on_random_bytes_after_a_valid_header() =>
        Gen.Byte.Array[0, 3000].Sample(bytes => _ = Respond([.. Messages.Header(), .. bytes]), iter: 20_000);

    [Fact]
    public void Never_throws_on_mutated_queries_of_a_real_reconciliation()
    {
        var random = new Random(2);
        var (initiator, _) = Keys.Split(random, Set.Keys.ToArray(), 0, 0.1);
        var queries = Exchange.Run(initiator, Set).Queries;
        Assert.True(queries.Count >= 2);
        Gen.Select(Gen.Int[0, queries.Count - 1], Gen.Int[0, 3], Gen.Int[0, int.MaxValue], Gen.Byte.Array[1, 16]).Sample((which, kind, at, bytes) =>
        {
            var query = queries[which];
            at %= query.Length;
            byte[] mutated = kind switch
            {
                0 => [.. query[..at], .. bytes, .. query[at..]],
                1 => [.. query[..at], .. query[Math.Min(query.Length, at + bytes.Length)..]],
                2 => query[..at],
                _ => [.. query[..at], .. bytes.AsSpan(0, Math.Min(bytes.Length, query.Length - at)), .. query[Math.Min(query.Length, at + bytes.Length)..]],
            };
            _ = Respond(mutated);
        }, iter: 20_000);
    }

    [Fact]
    public void Refuses_an_empty_message_a_bare_header_and_an_unknown_version()
    {
        Assert.Equal(ReconcileError.Truncated, Refusal([]));
        Assert.Equal(ReconcileError.Truncated, Refusal(Messages.Header()));
        Assert.Equal(ReconcileError.Truncated, Refusal(Messages.Header()[..5]));
        Assert.Equal(ReconcileError.UnknownVersion, Refusal([.. Messages.Header(version: 2), 0]));
        Assert.Equal(ReconcileError.UnknownVersion, Refusal([0x61])); // Negentropy v1's version byte
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(17)]
    [InlineData(255)]
    public void Refuses_a_fingerprint_length_outside_4_to_16(byte width) =>
        Assert.Equal(ReconcileError.BadFingerprintLength, Refusal([.. Messages.Header(width: width), 0]));

    [Fact]
    public void Refuses_a_message_over_the_frame_limit_before_reading_it()
    {
        var options = new ReconcileOptions { FrameLimit = ReconcileOptions.MinFrameLimit };
        var query = new byte[options.FrameLimit + 1];
        Assert.Equal(ReconcileError.MessageTooLarge, Refusal(query, options));
    }

    [Fact]
    public void Refuses_bad_varints()
    {
        Assert.Equal(ReconcileError.Truncated, Refusal([.. Messages.Header(), 0x81])); // ends inside
        Assert.Equal(ReconcileError.BadVarint, Refusal([.. Messages.Header(), 0x80, 0x01])); // a leading zero digit
        Assert.Equal(ReconcileError.BadVarint, Refusal([.. Messages.Header(), .. Enumerable.Repeat((byte)0xFF, 11), 0x00])); // too long
        Assert.Equal(ReconcileError.BadVarint, Refusal([.. Messages.Header(), 0x82, .. Enumerable.Repeat((byte)0xFF, 8), 0x7F])); // past 64 bits
    }

    [Fact]
    public void Refuses_an_unknown_mode_and_a_mode_a_query_may_not_carry()
    {
        Assert.Equal(ReconcileError.UnknownMode, Refusal([.. Messages.Header(), 7]));
        foreach (var mode in new[] { RangeMode.IdDiff, RangeMode.Ids, RangeMode.Deferred })
        {
            Assert.Equal(ReconcileError.ModeNotAllowed, Refusal([.. Messages.Header(), (byte)mode]));
        }
    }

    [Fact]
    public void Refuses_bounds_that_do_not_increase_or_overflow()
    {
        // A skip to timestamp 5 (mantissa 5, shift 0), then one rising by nothing: the same bound again.
        byte[] same = [.. Messages.Header(), .. Varint(((5UL << (Wire.ShiftBits + 1)) + 1) << Wire.ModeBits), .. Varint(1UL << Wire.ModeBits), 0];
        Assert.Equal(ReconcileError.BoundsOutOfOrder, Refusal(same));

        // A bound at timestamp 0 with no id is the start of the key space: a first range cannot end there.
        Assert.Equal(ReconcileError.BoundsOutOfOrder, Refusal([.. Messages.Header(), 1 << Wire.ModeBits]));

        // The escape with a step of 2^64 − 1 after a bound at 2: past the top of the timestamps.
        var first = Messages.Make(Other, (Messages.At(2), RangeMode.Skip, null));
        var escape = (((ulong)Wire.EscapeShift << 1) + 1) << Wire.ModeBits;
        byte[] overflow = [.. first[..^1], .. Varint(escape), .. Varint(ulong.MaxValue), 0];
        Assert.Equal(ReconcileError.BoundsOutOfOrder, Refusal(overflow));

        // A bound one step up with an id prefix longer than an id (mantissa 1, shift 0, has-id).
        byte[] longPrefix = [.. Messages.Header(), .. Varint((((1UL << (Wire.ShiftBits + 1)) | 1) + 1) << Wire.ModeBits), 33, .. new byte[33], 0];
        Assert.Equal(ReconcileError.BoundsOutOfOrder, Refusal(longPrefix));
    }

    [Fact]
    public void Refuses_a_message_that_does_not_reach_the_end_of_the_key_space_or_goes_past_it()
    {
        var whole = Messages.Make(Other, (Messages.At(9), RangeMode.Skip, null));
        Assert.Equal(ReconcileError.Truncated, Refusal(whole[..^1]));
        Assert.Equal(ReconcileError.Truncated, Refusal([.. whole, 0]));
    }

    [Fact]
    public void Refuses_more_ranges_than_allowed()
    {
        var options = new ReconcileOptions { MaxRangesPerMessage = 100 };
        var ranges = Enumerable.Range(1, 100).Select(i => (Messages.At((ulong)i), RangeMode.Skip, (Action<MessageWriter>?)null)).ToArray();
        Assert.Equal(ReconcileError.TooManyRanges, Refusal(Messages.Make(Other, ranges), options)); // 100 and the closing skip
        Assert.True(Respond(Messages.Make(Other, ranges[..99]), options).Succeeded);
    }

    [Fact]
    public void Refuses_an_id_list_longer_than_allowed_before_allocating_for_it()
    {
        var huge = Messages.Make(Other, (Bound.End, RangeMode.IdList, w => w.Varint(1UL << 40)));
        Assert.Equal(ReconcileError.ListTooLong, Refusal(huge));

        var over = Messages.Make(Other, (Bound.End, RangeMode.IdList, w => w.Varint((ulong)ReconcileOptions.Default.MaxIdsPerList + 1)));
        Assert.Equal(ReconcileError.ListTooLong, Refusal(over));

        var missingEntries = Messages.Make(Other, (Bound.End, RangeMode.IdList, w =>
        {
            w.Varint(1000);
            w.Byte(3);
        }));
        Assert.Equal(ReconcileError.Truncated, Refusal(missingEntries));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(33)]
    public void Refuses_an_id_list_with_entries_of_a_bad_length(byte length)
    {
        var query = Messages.Make(Other, (Bound.End, RangeMode.IdList, w =>
        {
            w.Varint(1);
            w.Byte(length);
            w.Bytes(new byte[length]);
        }));
        Assert.Equal(ReconcileError.BadIdList, Refusal(query));
    }

    [Fact]
    public void Refuses_prefixes_at_full_strength()
    {
        var query = Messages.Make(SyncFingerprint.Length, Other, (Bound.End, RangeMode.IdList, w =>
        {
            w.Varint(1);
            w.Byte(3);
            w.Bytes(new byte[3]);
        }));
        Assert.Equal(ReconcileError.BadIdList, Refusal(query));
    }

    [Fact]
    public void Refuses_a_request_for_nothing_or_past_its_list_and_one_for_a_list_it_did_not_send()
    {
        Assert.Equal(ReconcileError.BadIdList, Refusal(Messages.Make(Other, (Bound.End, RangeMode.IdRequest, w =>
        {
            w.Varint(9);
            w.Bytes([0, 0]);
        }))));
        Assert.Equal(ReconcileError.BadIdList, Refusal(Messages.Make(Other, (Bound.End, RangeMode.IdRequest, w =>
        {
            w.Varint(9);
            w.Bytes([0, 0b10]);
        }))));

        // Its 3,000 keys were never a list of 9.
        Assert.Equal(ReconcileError.SetChanged, Refusal(Messages.Make(Other, (Bound.End, RangeMode.IdRequest, w =>
        {
            w.Varint(9);
            w.Bytes([1, 0]);
        }))));
    }

    [Fact]
    public void Work_per_query_is_bounded_a_query_of_many_empty_lists_is_answered_within_the_frame()
    {
        // Thousands of empty id lists, one per key's neighbourhood: each asks for all of the responder's keys there.
        var hlcs = Set.Keys.ToArray().Select(k => k.Hlc).Distinct().Skip(1);
        var ranges = hlcs.Select<ulong, (Bound, RangeMode, Action<MessageWriter>?)>(hlc => (Bound.Of(hlc, []), RangeMode.IdList, w => w.Varint(0))).ToArray();
        var result = Respond(Messages.Make(Other, ranges));
        Assert.True(result.Succeeded);

        MessageReader.Read(result.Message!, Direction.Reply, ReconcileOptions.Default, 0, out var reply);
        Assert.Contains(reply!.Ranges, r => r.Mode == RangeMode.IdDiff);
    }

    [Fact]
    public void Streams_a_range_the_initiator_lacks_a_frame_at_a_time_and_defers_what_does_not_fit()
    {
        // Two empty lists, of 1,000 and 2,000 keys: the first is answered with as many keys as the frame holds and a
        // fingerprint for the rest of it; the second waits for the next query.
        var options = new ReconcileOptions { FrameLimit = ReconcileOptions.MinFrameLimit };
        var keys = Set.Keys.ToArray();
        var result = Respond(Messages.Make(Other,
            (Bound.Of(keys[1000].Hlc, []), RangeMode.IdList, w => w.Varint(0)),
            (Bound.End, RangeMode.IdList, w => w.Varint(0))), options);

        Assert.True(result.Succeeded);
        MessageReader.Read(result.Message!, Direction.Reply, options, 0, out var reply);
        Assert.Equal([RangeMode.IdDiff, RangeMode.Fingerprint, RangeMode.Deferred], reply!.Ranges.Select(r => r.Mode));
        Assert.Equal(keys.Take(reply.Ranges[0].KeyCount), reply.Keys);
        Assert.InRange(reply.Ranges[0].KeyCount, 90, 1000);
        Assert.Equal(Bound.Of(keys[1000].Hlc, []), reply.Ranges[1].Upper);
    }

    private static byte[] Varint(ulong value)
    {
        var bytes = new byte[Node.Federation.Sync.Reconciliation.Internal.Varint.MaxLength];
        return bytes[..Node.Federation.Sync.Reconciliation.Internal.Varint.Write(bytes, value)];
    }
}
