using System.Diagnostics;
using Node.Reasoning.Confidence;
using Node.Reasoning.Decisions;
using Node.Reasoning.Findings;
using Node.Reasoning.Indicators;
using Node.Reasoning.Memory;
using Node.Reasoning.Observations;
using Node.Reasoning.Outcomes;
using Node.Reasoning.Pipeline;
using Node.Reasoning.Reasoners;

namespace Node.Reasoning;

/// <summary>
/// The five-stage pipeline (ARCHITECTURE.md, "Reasoning"; docs/reasoning.md) over market bars, per subject:
/// Perceive (checks, incremental indicators), Analyze (Kyle, ID), Recall (Joey), Validate (Aletheia), Decide
/// (pooled, calibrated confidence; the decision asked for). Each claim is judged later by its outcome label,
/// and the outcome feeds Joey's memory and Aletheia's calibration.
/// </summary>
/// <remarks>Not thread-safe: one engine per pipeline thread. No allocation per observation once a subject is known.</remarks>
public sealed partial class ReasoningEngine
{
    /// <summary>The subject under which the node's own health is reasoned over.</summary>
    public const string NodeSubject = "node";

    private readonly ReasoningOptions _options;
    private readonly Dictionary<string, MarketSubject> _subjects = new(StringComparer.Ordinal);
    private readonly long[] _runs = new long[AllReasoners.Count];
    private readonly long[] _findings = new long[AllReasoners.Count];
    private readonly double[] _confidence = new double[AllReasoners.Count];
    private readonly long[] _ticks = new long[AllReasoners.Count];
    private readonly long[] _timed = new long[AllReasoners.Count];
    private readonly long[] _held = new long[32];
    private readonly long[] _failed = new long[32];
    private readonly LogOddsPool _healthPool = new(StageConfidences.Count);
    private MarketSubject? _last;

    /// <summary>Makes an engine that recalls through <paramref name="memory"/>.</summary>
    /// <exception cref="ArgumentException">An option is out of range (the message names it).</exception>
    public ReasoningEngine(ReasoningOptions options, IReasoningMemory memory)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        _options = options;
        Kenny = new Kenny(options.Kenny);
        Joey = new Joey(memory);
        Aletheia = new Aletheia(options.ReflectionInterval);
    }

    /// <summary>The depth it runs at.</summary>
    public Depth Depth => _options.Depth;

    /// <summary>Kenny (the node's own health).</summary>
    public Kenny Kenny { get; }

    /// <summary>Joey.</summary>
    public Joey Joey { get; }

    /// <summary>Aletheia (consistency, calibration, reflection).</summary>
    public Aletheia Aletheia { get; }

    /// <summary>Observations reasoned over, since start.</summary>
    public long Cycles { get; private set; }

    /// <summary>Observations rejected by Perceive, since start.</summary>
    public long Rejected { get; private set; }

    /// <summary>Subjects followed.</summary>
    public int Subjects => _subjects.Count;

    /// <summary>How many times <paramref name="reasoner"/> ran, since start.</summary>
    public long Runs(Reasoner reasoner) => _runs[(int)reasoner];

    /// <summary>How many findings <paramref name="reasoner"/> made, since start.</summary>
    public long FindingsOf(Reasoner reasoner) => _findings[(int)reasoner];

    /// <summary>The mean confidence of <paramref name="reasoner"/>'s findings, since start; NaN with none.</summary>
    public double MeanConfidence(Reasoner reasoner) =>
        _findings[(int)reasoner] > 0 ? _confidence[(int)reasoner] / _findings[(int)reasoner] : double.NaN;

    /// <summary>
    /// The mean time <paramref name="reasoner"/> takes per run, in <see cref="System.Diagnostics.Stopwatch"/> ticks, sampled
    /// on one observation in 64 (timing every one would cost more than the shallow pipeline); NaN before a sample.
    /// </summary>
    public double MeanTicks(Reasoner reasoner) =>
        _timed[(int)reasoner] > 0 ? (double)_ticks[(int)reasoner] / _timed[(int)reasoner] : double.NaN;

    /// <summary>How many claims of <paramref name="kind"/> held and failed, since start.</summary>
    public (long Held, long Failed) OutcomesOf(FindingKind kind) => (_held[(int)kind], _failed[(int)kind]);

    /// <summary>The features of <paramref name="subject"/> at its latest bar.</summary>
    public bool TryGetFeatures(string subject, out MarketFeatures features)
    {
        var found = _subjects.TryGetValue(subject, out var state);
        features = found ? state!.Indicators.Current : default;
        return found;
    }

    /// <summary>
    /// Reasons over one bar of <paramref name="subject"/>: fills <paramref name="findings"/> (cleared first) and
    /// <paramref name="conclusion"/>. Returns <see cref="ObservationProblem.None"/>, or why Perceive rejected the bar
    /// (then nothing else ran and the conclusion has no claim).
    /// </summary>
    public ObservationProblem ObserveBar(string subject, in Bar bar, FindingBuffer findings, out Conclusion conclusion)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        ArgumentNullException.ThrowIfNull(findings);
        findings.Clear();
        conclusion = new Conclusion(bar.Time, false, default, 0, double.NaN, double.NaN, StageConfidences.Abstained, false, null);

        // Perceive.
        var state = Subject(subject);
        if (state is null)
        {
            Rejected++;
            return ObservationProblem.TooManySubjects;
        }

        var problem = Perception.Check(bar, state.LastTime);
        if (problem != ObservationProblem.None)
        {
            state.Rejected++;
            Rejected++;
            return problem;
        }

        var gap = state.Gap(bar.Time);
        state.LastTime = bar.Time;
        state.Accepted++;
        Cycles++;
        state.Indicators.Update(bar);
        ref readonly var f = ref state.Indicators.Current;
        Judge(state, f);

        var stages = StageConfidences.Abstained;
        stages[StageConfidences.Perceive] = Perception.Quality(bar.Volume > 0, !gap, !double.IsNaN(f.ReturnZ60));

        // Analyze.
        var depth = _options.Depth;
        var timed = (Cycles & 63) == 1;
        var clock = timed ? Stopwatch.GetTimestamp() : 0;
        _runs[(int)Reasoner.Kyle]++;
        var before = findings.Count;
        state.Kyle.Analyze(f, depth, findings);
        _findings[(int)Reasoner.Kyle] += findings.Count - before;
        clock = Time(Reasoner.Kyle, timed, clock);
        if (depth >= Depth.Moderate)
        {
            _runs[(int)Reasoner.Id]++;
            var typicality = state.Baseline.Observe(f, depth);
            clock = Time(Reasoner.Id, timed, clock);
            stages[StageConfidences.Baseline] = typicality;
            if (typicality < _options.NoveltyLevel)
            {
                findings.Add(new Finding(Reasoner.Id, FindingKind.Novelty, 0, 1 - typicality, state.Baseline.LastDistance, typicality));
                _findings[(int)Reasoner.Id]++;
            }
        }

        var (hasClaim, claim) = Claim(findings);
        stages[StageConfidences.Analyze] = hasClaim ? claim.Confidence : double.NaN;

        // Recall.
        if (depth >= Depth.Moderate && hasClaim)
        {
            _runs[(int)Reasoner.Joey]++;
            before = findings.Count;
            stages[StageConfidences.Recall] = Joey.Recall(subject, claim.Kind, claim.Direction, depth, findings);
            _findings[(int)Reasoner.Joey] += findings.Count - before;
            clock = Time(Reasoner.Joey, timed, clock);
        }

        // Validate.
        var conflict = false;
        if (depth >= Depth.Moderate)
        {
            _runs[(int)Reasoner.Aletheia]++;
            before = findings.Count;
            conflict = Aletheia.CheckConsistency(findings);
            _findings[(int)Reasoner.Aletheia] += findings.Count - before;
            stages[StageConfidences.Validate] = hasClaim ? Aletheia.ValidateConfidence(conflict) : double.NaN;
        }

        // Decide.
        if (hasClaim)
        {
            var score = Aletheia.Score(stages);
            var confidence = Aletheia.Calibrate(score);
            conclusion = new Conclusion(bar.Time, true, claim.Kind, claim.Direction, confidence, score, stages, conflict,
                claim.Kind == FindingKind.Trend || confidence < _options.DecisionFloor ? null : DecisionTypes.Publish);
            Joey.Memory.Remember(subject, claim.Kind, claim.Direction, confidence, bar.Time);
            var pending = OutcomeLabels.Start(claim.Kind, claim.Direction, claim.Level, f);
            pending.Stages = stages;
            pending.Score = score;
            pending.Confidence = confidence;
            pending.Conflict = conflict;
            state.AddPending(pending);
        }

        Aletheia.Cycle();
        Time(Reasoner.Aletheia, timed && depth >= Depth.Moderate, clock);
        foreach (ref readonly var finding in findings.Items)
        {
            _confidence[(int)finding.Reasoner] += finding.Confidence;
        }

        return ObservationProblem.None;
    }

    private long Time(Reasoner reasoner, bool timed, long since)
    {
        if (!timed)
        {
            return 0;
        }

        var now = Stopwatch.GetTimestamp();
        _ticks[(int)reasoner] += now - since;
        _timed[(int)reasoner]++;
        return now;
    }

    /// <summary>
    /// Reasons over one sample of the node's health: Kenny's findings into <paramref name="findings"/> (cleared first)
    /// and <paramref name="conclusion"/>, whose claim is Kenny's most confident pressure or exhaustion finding. Its
    /// confidence is Kenny's, pooled with Joey's recall of such claims; it is not calibrated (health outcomes are not
    /// labelled yet). Pressure on memory or disk asks for <c>self_heal</c>, on CPU or latency for <c>scaling</c>; a
    /// forecast exhaustion asks for an <c>alert</c> to the guardian.
    /// </summary>
    public ObservationProblem ObserveHealth(in HealthSample sample, FindingBuffer findings, out Conclusion conclusion)
    {
        ArgumentNullException.ThrowIfNull(findings);
        findings.Clear();
        conclusion = new Conclusion(sample.Time, false, default, 0, double.NaN, double.NaN, StageConfidences.Abstained, false, null);
        var rejected = Kenny.Rejected;
        _runs[(int)Reasoner.Kenny]++;
        var clock = Stopwatch.GetTimestamp();
        Kenny.Observe(sample, findings);
        Time(Reasoner.Kenny, true, clock);
        if (Kenny.Rejected != rejected)
        {
            Rejected++;
            return ObservationProblem.OutOfRange;
        }

        Cycles++;
        _findings[(int)Reasoner.Kenny] += findings.Count;
        foreach (ref readonly var finding in findings.Items)
        {
            _confidence[(int)Reasoner.Kenny] += finding.Confidence;
        }

        var best = -1;
        var items = findings.Items;
        for (var i = 0; i < items.Length; i++)
        {
            if (items[i].Kind is FindingKind.ResourcePressure or FindingKind.ExhaustionForecast
                && (best < 0 || items[i].Confidence > items[best].Confidence))
            {
                best = i;
            }
        }

        if (best >= 0)
        {
            var claim = items[best];
            var stages = StageConfidences.Abstained;
            stages[StageConfidences.Analyze] = claim.Confidence;
            stages[StageConfidences.Recall] = Joey.Recall(NodeSubject, claim.Kind, claim.Direction, Depth.Shallow, findings);
            var score = _healthPool.Pool(stages);
            var confidence = LogOddsPool.Sigmoid(score);
            var decision = claim.Kind == FindingKind.ExhaustionForecast ? DecisionTypes.Alert
                : claim.Resource is Resource.Memory or Resource.Disk ? DecisionTypes.SelfHeal : DecisionTypes.Scaling;
            conclusion = new Conclusion(sample.Time, true, claim.Kind, claim.Direction, confidence, score, stages, false, decision);
            Joey.Memory.Remember(NodeSubject, claim.Kind, claim.Direction, confidence, sample.Time);
        }

        return ObservationProblem.None;
    }

    // The claim: the most confident pattern finding of Kyle (Trend only when no pattern fired); ties to the earlier.
    private static (bool, Finding) Claim(FindingBuffer findings)
    {
        var best = -1;
        var bestIsTrend = true;
        var items = findings.Items;
        for (var i = 0; i < items.Length; i++)
        {
            var finding = items[i];
            if (finding.Reasoner != Reasoner.Kyle || OutcomeLabels.Horizon(finding.Kind) == 0)
            {
                continue;
            }

            var isTrend = finding.Kind == FindingKind.Trend;
            if (best < 0 || (bestIsTrend && !isTrend) || (isTrend == bestIsTrend && finding.Confidence > items[best].Confidence))
            {
                best = i;
                bestIsTrend = isTrend;
            }
        }

        return best < 0 ? (false, default) : (true, items[best]);
    }

    // Judges every waiting claim of the subject on its new bar; a settled one teaches Joey's memory and Aletheia.
    private void Judge(MarketSubject state, in MarketFeatures f)
    {
        for (var i = state.PendingCount - 1; i >= 0; i--)
        {
            ref var pending = ref state.Pending(i);
            if (OutcomeLabels.Step(ref pending, f) is not { } held)
            {
                continue;
            }

            (held ? _held : _failed)[(int)pending.Claim]++;
            Joey.Memory.Learn(state.Name, pending.Claim, pending.Direction, held);
            Aletheia.Learn(pending.Stages, pending.Score, pending.Confidence, pending.Conflict, held);
            state.RemovePending(i);
        }
    }

    private MarketSubject? Subject(string subject)
    {
        if (_last is not null && string.Equals(_last.Name, subject, StringComparison.Ordinal))
        {
            return _last;
        }

        if (!_subjects.TryGetValue(subject, out var state))
        {
            if (_subjects.Count >= _options.MaxSubjects)
            {
                return null;
            }

            _subjects[subject] = state = new MarketSubject(subject, _options.Kyle);
        }

        return _last = state;
    }
}
