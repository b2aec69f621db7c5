using Node.Reasoning.Confidence;
using System.Buffers;
using Node.Reasoning.Findings;
using Node.Reasoning.Internal;

namespace Node.Reasoning.Reasoners;

/// <summary>
/// Aletheia, consistency and calibration. On every observation it looks for findings that contradict each
/// other (consolidation together with a breakout or an extreme move; two pattern findings of opposite
/// direction) and gives the validate stage's confidence: the Laplace-smoothed rate at which claims held when
/// made with (or without) such a conflict. It pools the stage confidences in log-odds and calibrates the
/// result; every realised outcome teaches its online learner (one AdaGrad step on the pooling weights, one
/// binned count for calibration), and its reflection, every <see cref="ReflectionIntervalCycles"/> cycles, refits:
/// the learnt weights go into the pool and the calibrator is refitted from the bins — O(bins), so reflection
/// costs microseconds and fits in the observation it lands on.
/// </summary>
/// <remarks>Not thread-safe. No allocation after construction (the refit included).</remarks>
public sealed class Aletheia
{
    private const int MinimumForRate = 5;
    private readonly double[] _held = new double[2];
    private readonly double[] _total = new double[2];
    private long _cycles;

    /// <summary>Makes Aletheia with the default pooling weights.</summary>
    public Aletheia(int reflectionIntervalCycles = 100)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(reflectionIntervalCycles, 1);
        ReflectionIntervalCycles = reflectionIntervalCycles;
        Pool = new LogOddsPool(StageConfidences.Count);
        // Stages that read the same bars start below 1 (ARCHITECTURE.md, "Confidence"); reflection refits them.
        Pool.SetWeights([0.5, 1.0, 0.5, 0.7, 0.7], 0);
        Calibrator = new OnlineCalibrator(Pool);
    }

    /// <summary>Cycles between reflections.</summary>
    public int ReflectionIntervalCycles { get; }

    /// <summary>The pooling weights (refitted by reflection).</summary>
    public LogOddsPool Pool { get; }

    /// <summary>The calibrator (refitted by reflection).</summary>
    public OnlineCalibrator Calibrator { get; }

    /// <summary>Calibration of every confidence whose outcome is known, since start.</summary>
    public CalibrationMetrics Metrics { get; } = new();

    /// <summary>How many reflections refitted the weights and calibration.</summary>
    public int Reflections { get; private set; }

    /// <summary>Conflicts found, since start.</summary>
    public long Conflicts { get; private set; }

    /// <summary>When set, reflection stops refitting (a walk-forward test's out-of-sample period).</summary>
    public bool Frozen { get; set; }

    /// <summary>Adds a <see cref="FindingKind.Conflict"/> finding for each contradiction; returns whether there was one.</summary>
    public bool CheckConsistency(FindingBuffer findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var count = findings.Count;
        var conflict = false;
        for (var i = 0; i < count; i++)
        {
            var a = findings.Items[i];
            for (var j = i + 1; j < count; j++)
            {
                var b = findings.Items[j];
                if (Contradict(a, b))
                {
                    findings.Add(new Finding(Reasoner.Aletheia, FindingKind.Conflict, 0, Math.Min(a.Confidence, b.Confidence),
                        (double)a.Kind, (double)b.Kind));
                    conflict = true;
                    Conflicts++;
                }
            }
        }

        return conflict;
    }

    private static bool Contradict(in Finding a, in Finding b)
    {
        if (a.Reasoner != Reasoner.Kyle || b.Reasoner != Reasoner.Kyle)
        {
            return false;
        }

        if (a.Kind == FindingKind.Consolidation || b.Kind == FindingKind.Consolidation)
        {
            var other = a.Kind == FindingKind.Consolidation ? b.Kind : a.Kind;
            return other is FindingKind.BreakoutUp or FindingKind.BreakoutDown or FindingKind.ExtremeMove;
        }

        return a.Kind != FindingKind.Trend && b.Kind != FindingKind.Trend && a.Direction * b.Direction < 0;
    }

    /// <summary>
    /// The validate stage's confidence: (held + 1) / (total + 2) over the outcomes of claims made with the same
    /// conflict flag; NaN (abstain) until 5 such outcomes.
    /// </summary>
    public double ValidateConfidence(bool conflict)
    {
        var i = conflict ? 1 : 0;
        return _total[i] < MinimumForRate ? double.NaN : (_held[i] + 1) / (_total[i] + 2);
    }

    /// <summary>Pools <paramref name="stages"/> into log-odds (abstained stages left out).</summary>
    public double Score(in StageConfidences stages) => Pool.Pool(stages);

    /// <summary>The calibrated probability for the pooled log-odds <paramref name="score"/>.</summary>
    public double Calibrate(double score) => Calibrator.Calibrate(score);

    /// <summary>Learns a realised outcome of a claim made with <paramref name="stages"/> and <paramref name="confidence"/>.</summary>
    public void Learn(in StageConfidences stages, double score, double confidence, bool conflict, bool held)
    {
        var i = conflict ? 1 : 0;
        _total[i]++;
        _held[i] += held ? 1 : 0;
        Calibrator.Learn(stages, score, held);
        Metrics.Add(confidence, held);
    }

    /// <summary>Counts one cycle; every <see cref="ReflectionIntervalCycles"/> cycles reflects. Returns whether it refitted.</summary>
    public bool Cycle()
    {
        _cycles++;
        if (_cycles % ReflectionIntervalCycles != 0 || Frozen || !Calibrator.Refit())
        {
            return false;
        }

        Reflections++;
        return true;
    }

    internal void Save(StateWriter writer)
    {
        writer.Double(_held[0]);
        writer.Double(_held[1]);
        writer.Double(_total[0]);
        writer.Double(_total[1]);
        writer.Int64(Conflicts);
        writer.Int32(Reflections);
        var calibration = new ArrayBufferWriter<byte>();
        Calibrator.Save().Write(calibration);
        writer.Bytes(calibration.WrittenSpan);
    }

    internal bool TryRestore(ref StateReader reader, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        error = "reasoning state: Aletheia's counts do not read";
        if (!reader.Double(out var held0) || !reader.Double(out var held1) || !reader.Double(out var total0) || !reader.Double(out var total1)
            || !reader.Int64(out var conflicts) || !reader.Int32(out var reflections)
            || held0 < 0 || held1 < 0 || total0 < held0 || total1 < held1 || conflicts < 0 || reflections < 0)
        {
            return false;
        }

        if (!reader.Bytes(1 << 20, out var calibration) || !OnlineCalibrationState.TryRead(calibration, out var state, out var stateError))
        {
            error = "reasoning state: Aletheia's calibration does not read";
            return false;
        }

        try
        {
            Calibrator.Restore(state);
        }
        catch (ArgumentException e)
        {
            error = $"reasoning state: Aletheia's calibration does not fit this pipeline ({e.Message})";
            return false;
        }

        (_held[0], _held[1], _total[0], _total[1]) = (held0, held1, total0, total1);
        Conflicts = conflicts;
        Reflections = reflections;
        error = null;
        return true;
    }
}
