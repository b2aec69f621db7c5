using System.Buffers;
using System.Buffers.Binary;
using CsCheck;
using Node.Reasoning.Confidence;

namespace Node.Reasoning.Tests.Confidence;

public sealed class CalibrationStateTests
{
    private static CalibrationState Isotonic() => new(
        [0.8, 0.5, 1.2], bias: -0.25, plattA: 1.9, plattB: -0.9,
        [-2, 0, 3.5], [0.1, 0.4, 0.95], CalibrationMethod.Isotonic, samplesUsed: 4096);

    private static byte[] Bytes(CalibrationState state)
    {
        var writer = new ArrayBufferWriter<byte>();
        state.Write(writer);
        return writer.WrittenSpan.ToArray();
    }

    [Fact]
    public void Reads_back_what_it_wrote()
    {
        var bytes = Bytes(Isotonic());

        Assert.True(CalibrationState.TryRead(bytes, out var state, out var error), error);

        Assert.Null(error);
        Assert.Equal(Isotonic().EncodedLength, bytes.Length);
        Assert.Equal([0.8, 0.5, 1.2], state.Weights);
        Assert.Equal(-0.25, state.Bias);
        Assert.Equal((1.9, -0.9), (state.PlattA, state.PlattB));
        Assert.Equal([-2, 0, 3.5], state.IsotonicScores);
        Assert.Equal([0.1, 0.4, 0.95], state.IsotonicProbabilities);
        Assert.Equal(CalibrationMethod.Isotonic, state.Method);
        Assert.Equal(4096, state.SamplesUsed);
    }

    [Fact]
    public void A_Platt_state_holds_no_breakpoints()
    {
        var platt = new CalibrationState([1.0], 0, 2, -1, [], [], CalibrationMethod.Platt, 300);

        Assert.True(CalibrationState.TryRead(Bytes(platt), out var state, out _));
        Assert.Equal(CalibrationMethod.Platt, state.Method);
        Assert.Empty(state.IsotonicScores);
    }

    [Fact]
    public void Refuses_a_bad_version_count_or_value_with_an_error_naming_the_field()
    {
        AssertRejected(b => BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(4), 2), "version");
        AssertRejected(b => b[6] = 9, "method");
        AssertRejected(b => b[7] = 200, "stage count");
        AssertRejected(b => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(8), -1), "samples used");
        AssertRejected(b => BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(12), double.NaN), "bias");
        AssertRejected(b => BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(20), double.PositiveInfinity), "Platt A");
        AssertRejected(b => BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(36 + 8), double.NaN), "weight 1");
        AssertRejected(b => BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(36 + 24), 60_000), "breakpoint count");
        AssertRejected(b => BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(36 + 26 + 8), -5), "breakpoint score 1");
        AssertRejected(b => BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(36 + 26 + 24 + 16), 1.5), "breakpoint probability 2");
        AssertRejected(b => b[0] = (byte)'X', "magic");
    }

    [Fact]
    public void Refuses_trailing_or_missing_bytes()
    {
        var bytes = Bytes(Isotonic());

        Assert.False(CalibrationState.TryRead([.. bytes, 0], out _, out var longer));
        Assert.False(CalibrationState.TryRead(bytes.AsSpan(0, bytes.Length - 1), out _, out var shorter));
        Assert.Contains("length", longer, StringComparison.Ordinal);
        Assert.Contains("length", shorter, StringComparison.Ordinal);
    }

    [Fact]
    public void Never_throws_on_random_bytes() =>
        Gen.Byte.Array[0, 300].Sample(bytes =>
        {
            if (!CalibrationState.TryRead(bytes, out _, out var error))
            {
                Assert.False(string.IsNullOrEmpty(error));
            }
        });

    [Fact]
    public void Never_throws_on_mutations_of_a_valid_state()
    {
        var valid = Bytes(Isotonic());
        Gen.Select(Gen.Int[0, valid.Length - 1].Array[1, 4], Gen.Byte.Array[4]).Sample((positions, values) =>
        {
            var bytes = (byte[])valid.Clone();
            for (var i = 0; i < positions.Length; i++)
            {
                bytes[positions[i]] = values[i];
            }

            if (CalibrationState.TryRead(bytes, out var state, out _))
            {
                Assert.All(state.Weights, w => Assert.True(double.IsFinite(w)));
            }
        });
    }

    private static void AssertRejected(Action<byte[]> corrupt, string field)
    {
        var bytes = Bytes(Isotonic());
        corrupt(bytes);

        Assert.False(CalibrationState.TryRead(bytes, out var state, out var error));

        Assert.Null(state);
        Assert.Contains(field, error, StringComparison.Ordinal);
    }
}
