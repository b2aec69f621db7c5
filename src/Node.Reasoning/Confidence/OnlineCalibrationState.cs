using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Node.Reasoning.Confidence;

/// <summary>
/// The whole learnt state of an <see cref="OnlineCalibrator"/>, to store and restore: the pool's weights and bias, the
/// learner's weights, bias and AdaGrad accumulators, the decayed score bins, Platt A and B, the isotonic breakpoints,
/// the active method and how many outcomes were learnt. Bin values are in outcomes (decay already applied).
/// </summary>
/// <remarks>
/// Binary format, version 1, little-endian: magic "SNOC"; u16 version; u8 method; u8 stage count K (1 to 8);
/// u16 bin count B (2 to <see cref="MaxBins"/>); u16 breakpoint count n (0 unless the method is isotonic, then 1 to B);
/// i64 outcomes learnt (≥ 0); f64 min score, max score (min &lt; max); f64 pool bias, learner bias, Platt A, Platt B;
/// K × f64 pool weights; K × f64 learner weights; (K + 1) × f64 AdaGrad accumulators (weights, then bias; ≥ 0);
/// B × (f64 count, f64 positives, f64 score sum) with 0 ≤ positives ≤ count ≤ 10¹² and the mean score within
/// [min, max]; n × f64 breakpoint scores (strictly increasing); n × f64 probabilities (non-decreasing, within [0, 1]).
/// Nothing may follow. Every double must be finite.
/// </remarks>
public sealed class OnlineCalibrationState
{
    /// <summary>The format version <see cref="Write"/> writes and <see cref="TryRead"/> reads.</summary>
    public const ushort Version = 1;

    /// <summary>The most bins a state (and an <see cref="OnlineCalibrator"/>) holds, 1,024.</summary>
    public const int MaxBins = 1024;

    /// <summary>The largest decayed count a bin may hold, 10¹² (a bin holds at most about 1.45 half-lives of outcomes).</summary>
    public const double MaxBinCount = 1e12;

    private static ReadOnlySpan<byte> Magic => "SNOC"u8;
    private const int HeaderSize = 4 + 2 + 1 + 1 + 2 + 2 + 8 + 6 * 8;

    /// <summary>Makes a state from copies of the arrays.</summary>
    /// <exception cref="ArgumentNullException">An array is null.</exception>
    /// <exception cref="ArgumentException">The values break the rules of the format (see remarks); the message names the field.</exception>
    public OnlineCalibrationState(double[] weights, double bias, double[] learnerWeights, double learnerBias, double[] accumulators,
        double minScore, double maxScore, double[] binCounts, double[] binPositives, double[] binScoreSums,
        double plattA, double plattB, double[] isotonicScores, double[] isotonicProbabilities, CalibrationMethod method, long learned)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(learnerWeights);
        ArgumentNullException.ThrowIfNull(accumulators);
        ArgumentNullException.ThrowIfNull(binCounts);
        ArgumentNullException.ThrowIfNull(binPositives);
        ArgumentNullException.ThrowIfNull(binScoreSums);
        ArgumentNullException.ThrowIfNull(isotonicScores);
        ArgumentNullException.ThrowIfNull(isotonicProbabilities);
        if (Validate(weights, bias, learnerWeights, learnerBias, accumulators, minScore, maxScore, binCounts, binPositives, binScoreSums,
            plattA, plattB, isotonicScores, isotonicProbabilities, method, learned) is { } error)
        {
            throw new ArgumentException(error);
        }

        // Copies: a stored state must not change when the caller reuses its arrays.
        (Weights, Bias, LearnerWeights, LearnerBias, Accumulators) = ([.. weights], bias, [.. learnerWeights], learnerBias, [.. accumulators]);
        (MinScore, MaxScore, BinCounts, BinPositives, BinScoreSums) = (minScore, maxScore, [.. binCounts], [.. binPositives], [.. binScoreSums]);
        (PlattA, PlattB, IsotonicScores, IsotonicProbabilities) = (plattA, plattB, [.. isotonicScores], [.. isotonicProbabilities]);
        (Method, Learned) = (method, learned);
    }

    /// <summary>The pool's weights, one per stage.</summary>
    public double[] Weights { get; }

    /// <summary>The pool's bias, in log-odds.</summary>
    public double Bias { get; }

    /// <summary>The learner's weights, one per stage.</summary>
    public double[] LearnerWeights { get; }

    /// <summary>The learner's bias, in log-odds.</summary>
    public double LearnerBias { get; }

    /// <summary>The AdaGrad sums of squared gradients: one per stage, then the bias's.</summary>
    public double[] Accumulators { get; }

    /// <summary>The low end of the binned score range.</summary>
    public double MinScore { get; }

    /// <summary>The high end of the binned score range.</summary>
    public double MaxScore { get; }

    /// <summary>The decayed outcome count of each bin.</summary>
    public double[] BinCounts { get; }

    /// <summary>The decayed positive count of each bin.</summary>
    public double[] BinPositives { get; }

    /// <summary>The decayed sum of the (clamped) scores of each bin.</summary>
    public double[] BinScoreSums { get; }

    /// <summary>Platt's A.</summary>
    public double PlattA { get; }

    /// <summary>Platt's B.</summary>
    public double PlattB { get; }

    /// <summary>The isotonic breakpoint scores; empty unless <see cref="Method"/> is isotonic.</summary>
    public double[] IsotonicScores { get; }

    /// <summary>The isotonic breakpoint probabilities, as many as <see cref="IsotonicScores"/>.</summary>
    public double[] IsotonicProbabilities { get; }

    /// <summary>The active calibration method.</summary>
    public CalibrationMethod Method { get; }

    /// <summary>How many outcomes were learnt.</summary>
    public long Learned { get; }

    /// <summary>The size in bytes of <see cref="Write"/>'s output.</summary>
    public int EncodedLength => EncodedSize(Weights.Length, BinCounts.Length, IsotonicScores.Length);

    /// <summary>Writes the state in the version 1 format.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is null.</exception>
    public void Write(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var length = EncodedLength;
        var span = writer.GetSpan(length)[..length];
        Magic.CopyTo(span);
        BinaryPrimitives.WriteUInt16LittleEndian(span[4..], Version);
        span[6] = (byte)Method;
        span[7] = (byte)Weights.Length;
        BinaryPrimitives.WriteUInt16LittleEndian(span[8..], (ushort)BinCounts.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(span[10..], (ushort)IsotonicScores.Length);
        BinaryPrimitives.WriteInt64LittleEndian(span[12..], Learned);
        var at = 20;
        foreach (var x in (ReadOnlySpan<double>)[MinScore, MaxScore, Bias, LearnerBias, PlattA, PlattB])
        {
            Put(span, ref at, x);
        }

        PutAll(span, ref at, Weights);
        PutAll(span, ref at, LearnerWeights);
        PutAll(span, ref at, Accumulators);
        for (var b = 0; b < BinCounts.Length; b++)
        {
            Put(span, ref at, BinCounts[b]);
            Put(span, ref at, BinPositives[b]);
            Put(span, ref at, BinScoreSums[b]);
        }

        PutAll(span, ref at, IsotonicScores);
        PutAll(span, ref at, IsotonicProbabilities);
        writer.Advance(length);
    }

    /// <summary>
    /// Reads a state <see cref="Write"/> wrote. Never throws on malformed input: returns false with an
    /// <paramref name="error"/> that names the offending field (magic, version, method, stage count, bin count,
    /// breakpoint count, length, outcomes learnt, score range, bias, Platt A/B, weight k, learner weight k, accumulator k,
    /// bin b, breakpoints).
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> data, [NotNullWhen(true)] out OnlineCalibrationState? state, out string? error)
    {
        state = null;
        if (data.Length < HeaderSize)
        {
            return Fail($"length {data.Length} is shorter than the header ({HeaderSize} bytes).", out error);
        }

        if (!data[..4].SequenceEqual(Magic))
        {
            return Fail("magic is not \"SNOC\".", out error);
        }

        var version = BinaryPrimitives.ReadUInt16LittleEndian(data[4..]);
        if (version != Version)
        {
            return Fail($"version {version} is not supported (expected {Version}).", out error);
        }

        var method = (CalibrationMethod)data[6];
        int stages = data[7];
        int bins = BinaryPrimitives.ReadUInt16LittleEndian(data[8..]);
        int breakpoints = BinaryPrimitives.ReadUInt16LittleEndian(data[10..]);
        if (stages is < 1 or > LogOddsPool.MaxStages)
        {
            return Fail($"stage count {stages} is not 1 to {LogOddsPool.MaxStages}.", out error);
        }

        if (bins is < 2 or > MaxBins)
        {
            return Fail($"bin count {bins} is not 2 to {MaxBins}.", out error);
        }

        if (breakpoints > bins)
        {
            return Fail($"breakpoint count {breakpoints} is above the bin count {bins}.", out error);
        }

        var expected = EncodedSize(stages, bins, breakpoints);
        if (data.Length != expected)
        {
            return Fail($"length {data.Length} is not the {expected} bytes {stages} stages, {bins} bins and {breakpoints} breakpoints take.", out error);
        }

        var learned = BinaryPrimitives.ReadInt64LittleEndian(data[12..]);
        var at = 20;
        var (minScore, maxScore, bias, learnerBias, plattA, plattB) =
            (Take(data, ref at), Take(data, ref at), Take(data, ref at), Take(data, ref at), Take(data, ref at), Take(data, ref at));
        var weights = TakeAll(data, ref at, stages);
        var learnerWeights = TakeAll(data, ref at, stages);
        var accumulators = TakeAll(data, ref at, stages + 1);
        var (counts, positives, sums) = (new double[bins], new double[bins], new double[bins]);
        for (var b = 0; b < bins; b++)
        {
            (counts[b], positives[b], sums[b]) = (Take(data, ref at), Take(data, ref at), Take(data, ref at));
        }

        var scores = TakeAll(data, ref at, breakpoints);
        var probabilities = TakeAll(data, ref at, breakpoints);
        if (Validate(weights, bias, learnerWeights, learnerBias, accumulators, minScore, maxScore, counts, positives, sums,
            plattA, plattB, scores, probabilities, method, learned) is { } invalid)
        {
            return Fail(invalid, out error);
        }

        state = new OnlineCalibrationState(weights, bias, learnerWeights, learnerBias, accumulators, minScore, maxScore,
            counts, positives, sums, plattA, plattB, scores, probabilities, method, learned);
        error = null;
        return true;
    }

    private static int EncodedSize(int stages, int bins, int breakpoints) => HeaderSize + 8 * (3 * stages + 1) + 24 * bins + 16 * breakpoints;

    private static string? Validate(double[] weights, double bias, double[] learnerWeights, double learnerBias, double[] accumulators,
        double minScore, double maxScore, double[] counts, double[] positives, double[] sums,
        double plattA, double plattB, double[] scores, double[] probabilities, CalibrationMethod method, long learned)
    {
        if (!Enum.IsDefined(method))
        {
            return $"method {(byte)method} is not a calibration method.";
        }

        var stages = weights.Length;
        if (stages is < 1 or > LogOddsPool.MaxStages || learnerWeights.Length != stages || accumulators.Length != stages + 1)
        {
            return $"stage count: {stages} weights, {learnerWeights.Length} learner weights and {accumulators.Length} accumulators (need 1 to {LogOddsPool.MaxStages}, as many, and one more).";
        }

        if (counts.Length is < 2 or > MaxBins || positives.Length != counts.Length || sums.Length != counts.Length)
        {
            return $"bin count: {counts.Length} counts, {positives.Length} positives and {sums.Length} score sums (need 2 to {MaxBins} of each).";
        }

        if (learned < 0)
        {
            return $"outcomes learnt {learned} is negative.";
        }

        if (!double.IsFinite(minScore) || !double.IsFinite(maxScore) || !(minScore < maxScore))
        {
            return $"score range [{minScore}, {maxScore}] is not finite and increasing.";
        }

        if (!double.IsFinite(bias) || !double.IsFinite(learnerBias))
        {
            return $"bias {bias} or learner bias {learnerBias} is not finite.";
        }

        if (!double.IsFinite(plattA) || !double.IsFinite(plattB))
        {
            return $"Platt A/B ({plattA}, {plattB}) is not finite.";
        }

        for (var k = 0; k < stages; k++)
        {
            if (!double.IsFinite(weights[k]))
            {
                return $"weight {k} ({weights[k]}) is not finite.";
            }

            if (!double.IsFinite(learnerWeights[k]))
            {
                return $"learner weight {k} ({learnerWeights[k]}) is not finite.";
            }
        }

        for (var k = 0; k <= stages; k++)
        {
            if (!(accumulators[k] >= 0) || !double.IsFinite(accumulators[k]))
            {
                return $"accumulator {k} ({accumulators[k]}) is not finite and non-negative.";
            }
        }

        // A little slack on the mean: a decayed sum over a decayed count rounds.
        var slack = 1e-9 * (1 + Math.Abs(minScore) + Math.Abs(maxScore));
        for (var b = 0; b < counts.Length; b++)
        {
            var (n, p, s) = (counts[b], positives[b], sums[b]);
            if (!(n >= 0 && n <= MaxBinCount) || !(p >= 0 && p <= n) || !double.IsFinite(s)
                || (n > 0 ? !(s >= (minScore - slack) * n && s <= (maxScore + slack) * n) : s != 0))
            {
                return $"bin {b} (count {n}, positives {p}, score sum {s}) needs 0 ≤ positives ≤ count ≤ {MaxBinCount} and a mean score within the range.";
            }
        }

        if (scores.Length != probabilities.Length)
        {
            return $"breakpoint count: {scores.Length} scores but {probabilities.Length} probabilities.";
        }

        if (method == CalibrationMethod.Isotonic ? scores.Length < 1 || scores.Length > counts.Length : scores.Length != 0)
        {
            return $"breakpoint count {scores.Length} does not fit method {method} (isotonic needs 1 to the bin count, others 0).";
        }

        return IsotonicCalibration.ValidateBreakpoints(scores, probabilities);
    }

    private static void Put(Span<byte> span, ref int at, double value)
    {
        BinaryPrimitives.WriteDoubleLittleEndian(span[at..], value);
        at += 8;
    }

    private static void PutAll(Span<byte> span, ref int at, double[] values)
    {
        foreach (var x in values)
        {
            Put(span, ref at, x);
        }
    }

    private static double Take(ReadOnlySpan<byte> data, ref int at)
    {
        var x = BinaryPrimitives.ReadDoubleLittleEndian(data[at..]);
        at += 8;
        return x;
    }

    private static double[] TakeAll(ReadOnlySpan<byte> data, ref int at, int count)
    {
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = Take(data, ref at);
        }

        return values;
    }

    private static bool Fail(string message, out string? error)
    {
        error = "Online calibration state " + message;
        return false;
    }
}
