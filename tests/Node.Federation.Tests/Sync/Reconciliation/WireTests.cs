using Node.Federation.Sync.Reconciliation;
using Node.Federation.Sync.Reconciliation.Internal;

namespace Node.Federation.Tests.Sync.Reconciliation;

/// <summary>The pieces of the message format: varints, bounds, their encoding.</summary>
public sealed class WireTests
{
    [Theory]
    [InlineData(0UL, new byte[] { 0x00 })]
    [InlineData(127UL, new byte[] { 0x7F })]
    [InlineData(128UL, new byte[] { 0x81, 0x00 })]
    [InlineData(200UL, new byte[] { 0x81, 0x48 })]
    [InlineData(ulong.MaxValue, new byte[] { 0x81, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F })]
    public void Varints_are_negentropys_most_significant_digit_first(ulong value, byte[] expected)
    {
        var bytes = new byte[Varint.MaxLength];
        Assert.Equal(expected, bytes[..Varint.Write(bytes, value)]);
        var position = 0;
        Assert.Equal(ReconcileError.None, Varint.TryRead(expected, ref position, out var read, out _));
        Assert.Equal(value, read);
        Assert.Equal(expected.Length, position);
    }

    [Fact]
    public void A_bound_between_neighbours_lies_above_the_first_and_at_or_below_the_second()
    {
        var random = new Random(61);
        for (var trial = 0; trial < 100_000; trial++)
        {
            var lowerHlc = random.Next(3) == 0 ? 0 : (ulong)random.NextInt64();
            var a = Keys.Random(random, lowerHlc + (random.Next(2) == 0 ? 0 : (ulong)random.NextInt64(0, long.MaxValue / 2)));
            var b = random.Next(3) switch
            {
                0 => Keys.Random(random, a.Hlc), // the same timestamp
                1 => Keys.Random(random, a.Hlc + (ulong)random.Next(1, 5)),
                _ => Keys.Random(random, a.Hlc + (ulong)random.NextInt64(1, long.MaxValue / 2)),
            };
            var (previous, current) = a < b ? (a, b) : (b, a);
            if (previous == current)
            {
                continue;
            }

            var bound = Bound.Between(previous, current, lowerHlc);
            Assert.True(bound.CompareTo(previous) > 0 && bound.CompareTo(current) <= 0, $"{bound} between {previous} and {current}");
        }
    }

    [Fact]
    public void A_bound_between_timestamps_is_the_roundest_step_and_costs_few_bytes()
    {
        // Neighbours at 1,000,003 and 1,000,900 after a bound at 1,000,000: the step with the most trailing zeros in
        // (3, 900] is 512, sent as mantissa 1, shift 9: a 2-byte head.
        var bound = Bound.Between(Keys.Random(new Random(1), 1_000_003), Keys.Random(new Random(2), 1_000_900), 1_000_000);
        Assert.Equal(1_000_512UL, bound.Key.Hlc);
        Assert.Equal(0, bound.IdLength);

        var writer = new MessageWriter();
        writer.Range(Bound.Of(1_000_000, []), bound, RangeMode.Skip);
        Assert.InRange(writer.Length, 1, 2 + 6); // the skip to the first bound, then this one
    }

    [Fact]
    public void Bounds_at_one_timestamp_carry_the_shortest_separating_id_prefix()
    {
        var low = new byte[32];
        var high = new byte[32];
        low[0] = high[0] = 0xAB;
        low[1] = 0x10;
        high[1] = 0x20;
        high[2] = 0x77;
        var bound = Bound.Between(new SyncKey(5, low), new SyncKey(5, high), 0);
        Assert.Equal(2, bound.IdLength);
        Assert.Equal([0xAB, 0x20, .. new byte[30]], bound.Key.IdToArray());
    }

    [Fact]
    public void Bounds_survive_encoding_whatever_their_steps()
    {
        var random = new Random(62);
        var bounds = new List<Bound>();
        var hlc = 0UL;
        for (var i = 0; i < 2_000; i++)
        {
            var step = random.Next(6) switch
            {
                0 => 0UL,
                1 => 1UL,
                2 => 1UL << random.Next(64),
                3 => (ulong)random.NextInt64() | 1,
                _ => (ulong)random.Next(1, 1 << 20) << random.Next(40),
            };
            if (hlc > ulong.MaxValue - step)
            {
                break;
            }

            hlc += step;
            var prefix = new byte[step == 0 ? random.Next(1, 33) : random.Next(2) * random.Next(1, 33)];
            random.NextBytes(prefix);
            var bound = Bound.Of(hlc, prefix);
            if (bounds.Count == 0 ? bound > Bound.Start : bound > bounds[^1])
            {
                bounds.Add(bound);
            }
        }

        var message = Messages.Make(default, bounds.Select<Bound, (Bound, RangeMode, Action<MessageWriter>?)>(b => (b, RangeMode.Skip, null)).ToArray());
        Assert.Null(MessageReader.Read(message, Direction.Query, new ReconcileOptions { MaxRangesPerMessage = 65_536 }, 0, out var parsed));
        Assert.Equal(bounds.Append(Bound.End), parsed!.Ranges.Select(r => r.Upper));
    }
}
