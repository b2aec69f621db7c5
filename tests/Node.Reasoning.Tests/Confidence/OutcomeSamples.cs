using Node.Reasoning.Confidence;

namespace Node.Reasoning.Tests.Confidence;

/// <summary>
/// Synthetic realised outcomes for the calibration tests (the pipeline learns online and keeps no samples):
/// per sample the stage logits (NaN where a stage abstained), the pooled score that was
/// used when the conclusion was made, the 0/1 outcome and a group id (e.g. the finding kind).
/// A bounded ring: when full, <see cref="Add"/> drops the oldest sample.
/// </summary>
/// <remarks>
/// Add is O(1) and allocation-free. The refit uses the logits and outcomes; the stored pooled score and the group id
/// are kept for the caller (e.g. to judge the scores actually used, per finding kind, with <see cref="CalibrationMetrics"/>).
/// Not thread-safe.
/// </remarks>
internal sealed class OutcomeSamples
{
    /// <summary>The default capacity, 4,096 samples.</summary>
    public const int DefaultCapacity = 4096;

    private readonly double[] _logits;
    private readonly double[] _scores;
    private readonly bool[] _outcomes;
    private readonly int[] _groups;
    private int _next;

    /// <summary>Makes an empty ring of <paramref name="capacity"/> samples of <paramref name="stageCount"/> stages.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stageCount"/> is not 1 to <see cref="LogOddsPool.MaxStages"/>, or <paramref name="capacity"/> is below 1.</exception>
    public OutcomeSamples(int stageCount, int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stageCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(stageCount, LogOddsPool.MaxStages);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        StageCount = stageCount;
        _logits = new double[checked(stageCount * capacity)];
        _scores = new double[capacity];
        _outcomes = new bool[capacity];
        _groups = new int[capacity];
    }

    /// <summary>How many stage logits each sample holds.</summary>
    public int StageCount { get; }

    /// <summary>How many samples it holds at most.</summary>
    public int Capacity => _scores.Length;

    /// <summary>How many samples it holds.</summary>
    public int Count { get; private set; }

    /// <summary>How many samples were ever added, dropped ones included.</summary>
    public long TotalAdded { get; private set; }

    /// <summary>
    /// Adds one sample from stage logits. A logit that is NaN means the stage abstained; infinite or larger logits are
    /// clamped to ±<see cref="LogOddsPool.MaxLogit"/>. Missing trailing stages count as abstaining.
    /// </summary>
    /// <exception cref="ArgumentException">More logits than <see cref="StageCount"/>.</exception>
    public void Add(ReadOnlySpan<double> stageLogits, double pooledScore, bool outcome, int group = 0)
    {
        var row = Reserve(stageLogits.Length);
        for (var k = 0; k < row.Length; k++)
        {
            row[k] = k < stageLogits.Length && !double.IsNaN(stageLogits[k])
                ? Math.Clamp(stageLogits[k], -LogOddsPool.MaxLogit, LogOddsPool.MaxLogit)
                : double.NaN;
        }

        Commit(pooledScore, outcome, group);
    }

    /// <summary>Adds one sample from stage confidences (NaN = abstained), storing <see cref="LogOddsPool.Logit"/> of each.</summary>
    /// <exception cref="ArgumentException">More confidences than <see cref="StageCount"/>.</exception>
    public void AddConfidences(ReadOnlySpan<double> stageConfidences, double pooledScore, bool outcome, int group = 0)
    {
        var row = Reserve(stageConfidences.Length);
        for (var k = 0; k < row.Length; k++)
        {
            row[k] = k < stageConfidences.Length ? LogOddsPool.Logit(stageConfidences[k]) : double.NaN;
        }

        Commit(pooledScore, outcome, group);
    }

    /// <summary>The stage logits of sample <paramref name="index"/> (0 = oldest), NaN where the stage abstained.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not below <see cref="Count"/>.</exception>
    public ReadOnlySpan<double> Logits(int index) => _logits.AsSpan(Slot(index) * StageCount, StageCount);

    /// <summary>The pooled score sample <paramref name="index"/> (0 = oldest) was made with.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not below <see cref="Count"/>.</exception>
    public double Score(int index) => _scores[Slot(index)];

    /// <summary>The realised outcome of sample <paramref name="index"/> (0 = oldest).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not below <see cref="Count"/>.</exception>
    public bool Outcome(int index) => _outcomes[Slot(index)];

    /// <summary>The group id of sample <paramref name="index"/> (0 = oldest).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not below <see cref="Count"/>.</exception>
    public int Group(int index) => _groups[Slot(index)];

    /// <summary>Drops every sample (keeps <see cref="TotalAdded"/>).</summary>
    public void Clear()
    {
        Count = 0;
        _next = 0;
    }

    private Span<double> Reserve(int length)
    {
        if (length > StageCount)
        {
            throw new ArgumentException($"The samples hold {StageCount} stages; got {length} values.");
        }

        return _logits.AsSpan(_next * StageCount, StageCount);
    }

    private void Commit(double pooledScore, bool outcome, int group)
    {
        _scores[_next] = pooledScore;
        _outcomes[_next] = outcome;
        _groups[_next] = group;
        _next = _next + 1 == _scores.Length ? 0 : _next + 1;
        if (Count < _scores.Length)
        {
            Count++;
        }

        TotalAdded++;
    }

    private int Slot(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        var slot = _next - Count + index;
        return slot < 0 ? slot + _scores.Length : slot;
    }
}
