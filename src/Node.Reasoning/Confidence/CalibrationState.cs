using System.Buffers;
using System.Buffers.Binary;

namespace Node.Reasoning.Confidence;

/// <summary>
/// The fitted state of a <see cref="Calibrator"/> and its <see cref="LogOddsPool"/>, to store and restore:
/// weights, bias, Platt A and B, isotonic breakpoints (at most <see cref="MaxBreakpoints"/>), the active method and
/// how many samples the fit used.
/// </summary>
/// <remarks>
/// Binary format, version 1, little-endian: magic "SNCS"; u16 version; u8 method; u8 stage count K (1 to 8);
/// i32 samples used (≥ 0); f64 bias, Platt A, Platt B; K × f64 weights; u16 breakpoint count n (0 unless the method
/// is isotonic, then 1 to <see cref="MaxBreakpoints"/>); n × f64 scores (strictly increasing); n × f64 probabilities
/// (non-decreasing, within [0, 1]). Nothing may follow. Every double must be finite.
/// </remarks>
public sealed class CalibrationState
{
    /// <summary>The format version <see cref="Write"/> writes and <see cref="TryRead"/> reads.</summary>
    public const ushort Version = 1;

    /// <summary>The most isotonic breakpoints a state holds, 4,096.</summary>
    public const int MaxBreakpoints = 4096;

    private static ReadOnlySpan<byte> Magic => "SNCS"u8;
    private const int HeaderSize = 4 + 2 + 1 + 1 + 4 + 3 * 8;

    /// <summary>Makes a state from copies of the arrays.</summary>
    /// <exception cref="ArgumentException">The values break the rules of the format (see remarks); the message names the field.</exception>
    public CalibrationState(double[] weights, double bias, double plattA, double plattB,
        double[] isotonicScores, double[] isotonicProbabilities, CalibrationMethod method, int samplesUsed)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(isotonicScores);
        ArgumentNullException.ThrowIfNull(isotonicProbabilities);
        if (Validate(weights, bias, plattA, plattB, isotonicScores, isotonicProbabilities, method, samplesUsed) is { } error)
        {
            throw new ArgumentException(error);
        }

        // Copies: a stored state must not change when the caller reuses its arrays.
        (Weights, Bias, PlattA, PlattB) = ([.. weights], bias, plattA, plattB);
        (IsotonicScores, IsotonicProbabilities, Method, SamplesUsed) = ([.. isotonicScores], [.. isotonicProbabilities], method, samplesUsed);
    }

    /// <summary>The pooling weights, one per stage.</summary>
    public double[] Weights { get; }

    /// <summary>The pooling bias, in log-odds.</summary>
    public double Bias { get; }

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

    /// <summary>How many samples the fit used.</summary>
    public int SamplesUsed { get; }

    /// <summary>The size in bytes of <see cref="Write"/>'s output.</summary>
    public int EncodedLength => HeaderSize + 8 * Weights.Length + 2 + 16 * IsotonicScores.Length;

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
        BinaryPrimitives.WriteInt32LittleEndian(span[8..], SamplesUsed);
        BinaryPrimitives.WriteDoubleLittleEndian(span[12..], Bias);
        BinaryPrimitives.WriteDoubleLittleEndian(span[20..], PlattA);
        BinaryPrimitives.WriteDoubleLittleEndian(span[28..], PlattB);
        var at = HeaderSize;
        foreach (var w in Weights)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(span[at..], w);
            at += 8;
        }

        BinaryPrimitives.WriteUInt16LittleEndian(span[at..], (ushort)IsotonicScores.Length);
        at += 2;
        foreach (var x in IsotonicScores)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(span[at..], x);
            at += 8;
        }

        foreach (var y in IsotonicProbabilities)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(span[at..], y);
            at += 8;
        }

        writer.Advance(length);
    }

    /// <summary>
    /// Reads a state <see cref="Write"/> wrote. Never throws on malformed input: returns false with an
    /// <paramref name="error"/> that names the offending field (magic, version, method, stage count, samples used,
    /// bias, Platt A/B, weight k, breakpoint count, breakpoints, length).
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> data, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CalibrationState? state, out string? error)
    {
        state = null;
        if (data.Length < HeaderSize + 2)
        {
            return Fail($"length {data.Length} is shorter than the smallest state ({HeaderSize + 2 + 8} bytes).", out error);
        }

        if (!data[..4].SequenceEqual(Magic))
        {
            return Fail("magic is not \"SNCS\".", out error);
        }

        var version = BinaryPrimitives.ReadUInt16LittleEndian(data[4..]);
        if (version != Version)
        {
            return Fail($"version {version} is not supported (expected {Version}).", out error);
        }

        var method = (CalibrationMethod)data[6];
        var stages = data[7];
        if (stages is < 1 or > LogOddsPool.MaxStages)
        {
            return Fail($"stage count {stages} is not 1 to {LogOddsPool.MaxStages}.", out error);
        }

        if (data.Length < HeaderSize + 8 * stages + 2)
        {
            return Fail($"length {data.Length} is too short for {stages} weights.", out error);
        }

        var weights = new double[stages];
        var at = HeaderSize;
        for (var k = 0; k < stages; k++, at += 8)
        {
            weights[k] = BinaryPrimitives.ReadDoubleLittleEndian(data[at..]);
        }

        var count = BinaryPrimitives.ReadUInt16LittleEndian(data[at..]);
        at += 2;
        if (count > MaxBreakpoints)
        {
            return Fail($"breakpoint count {count} is above {MaxBreakpoints}.", out error);
        }

        if (data.Length != at + 16 * count)
        {
            return Fail($"length {data.Length} is not the {at + 16 * count} bytes {count} breakpoints take.", out error);
        }

        var scores = new double[count];
        var probabilities = new double[count];
        for (var i = 0; i < count; i++)
        {
            scores[i] = BinaryPrimitives.ReadDoubleLittleEndian(data[(at + 8 * i)..]);
            probabilities[i] = BinaryPrimitives.ReadDoubleLittleEndian(data[(at + 8 * (count + i))..]);
        }

        var samplesUsed = BinaryPrimitives.ReadInt32LittleEndian(data[8..]);
        var bias = BinaryPrimitives.ReadDoubleLittleEndian(data[12..]);
        var plattA = BinaryPrimitives.ReadDoubleLittleEndian(data[20..]);
        var plattB = BinaryPrimitives.ReadDoubleLittleEndian(data[28..]);
        if (Validate(weights, bias, plattA, plattB, scores, probabilities, method, samplesUsed) is { } invalid)
        {
            return Fail(invalid, out error);
        }

        state = new CalibrationState(weights, bias, plattA, plattB, scores, probabilities, method, samplesUsed);
        error = null;
        return true;
    }

    private static string? Validate(double[] weights, double bias, double plattA, double plattB,
        double[] scores, double[] probabilities, CalibrationMethod method, int samplesUsed)
    {
        if (!Enum.IsDefined(method))
        {
            return $"method {(byte)method} is not a calibration method.";
        }

        if (weights.Length is < 1 or > LogOddsPool.MaxStages)
        {
            return $"stage count {weights.Length} is not 1 to {LogOddsPool.MaxStages}.";
        }

        if (samplesUsed < 0)
        {
            return $"samples used {samplesUsed} is negative.";
        }

        if (!double.IsFinite(bias))
        {
            return $"bias {bias} is not finite.";
        }

        if (!double.IsFinite(plattA) || !double.IsFinite(plattB))
        {
            return $"Platt A/B ({plattA}, {plattB}) is not finite.";
        }

        for (var k = 0; k < weights.Length; k++)
        {
            if (!double.IsFinite(weights[k]))
            {
                return $"weight {k} ({weights[k]}) is not finite.";
            }
        }

        if (scores.Length != probabilities.Length)
        {
            return $"breakpoint count: {scores.Length} scores but {probabilities.Length} probabilities.";
        }

        if (method == CalibrationMethod.Isotonic ? scores.Length is < 1 or > MaxBreakpoints : scores.Length != 0)
        {
            return $"breakpoint count {scores.Length} does not fit method {method} (isotonic needs 1 to {MaxBreakpoints}, others 0).";
        }

        return IsotonicCalibration.ValidateBreakpoints(scores, probabilities);
    }

    private static bool Fail(string message, out string? error)
    {
        error = "Calibration state " + message;
        return false;
    }
}
