using Node.Reasoning.Findings;
using Node.Reasoning.Observations;
using Node.Reasoning.Reasoners.Internal;

namespace Node.Reasoning.Reasoners;

/// <summary>
/// Kenny, the node-health reasoner (ARCHITECTURE.md, "Reasoning", stage 2): sustained resource pressure with
/// hysteresis, and time to exhaustion of memory and disk — the self-healing sensor.
/// </summary>
/// <remarks>
/// <para>Not thread-safe: one instance per pipeline. <see cref="Observe"/> allocates nothing and never throws on a bad sample.</para>
/// <para>
/// <b>Pressure.</b> Each resource's use is smoothed by an EWMA (<see cref="KennyOptions.EwmaAlpha"/>; seeded by the
/// first sample). Pressure is entered when the EWMA has been at or above the enter level for
/// <see cref="KennyOptions.SamplesToEnter"/> samples in a row (one <see cref="FindingKind.ResourcePressure"/>,
/// Direction +1, Level the EWMA, Evidence the samples above the enter level) and left when the EWMA falls below the
/// exit level (one <see cref="FindingKind.ResourceRecovered"/>, Direction −1, Level the EWMA, Evidence the samples spent
/// in pressure). Between the two nothing is repeated. Its confidence is
/// <c>0.5 + 0.35·d + 0.15·p</c>, where depth <c>d = min(1, mean(EWMA − enter) / headroom)</c> over the run above the
/// enter level, headroom being <c>1 − enter</c> for fractions and <c>enter</c> for latency (twice the enter level is
/// as deep as it gets), and persistence <c>p = min(1, b / (3·SamplesToEnter))</c>, b being the samples in a row the
/// EWMA has been at or above the exit level (the pressure built up slowly, not in one jump). So it lies in
/// [0.55, 1]: barely and suddenly over the line is 0.55; far over it after a long build-up approaches 1.
/// Recovery's confidence is <c>0.5 + 0.5·min(1, (exit − EWMA) / (enter − exit))</c>: the further below the exit level,
/// the surer.
/// </para>
/// <para>
/// <b>Exhaustion.</b> Memory and disk use are fitted against time by least squares over the last
/// <see cref="KennyOptions.TrendWindow"/> samples (O(1) sliding sums, centred). Once half the window is filled, when the
/// slope is positive, R² is at least <see cref="KennyOptions.MinTrendFit"/> and the fitted use reaches 1.0 within
/// <see cref="KennyOptions.ExhaustionHorizon"/>, an <see cref="FindingKind.ExhaustionForecast"/> is added (Direction +1,
/// Level the current use, Evidence the seconds until exhaustion) with confidence <c>R²·√min(1, n / TrendWindow)</c>.
/// It is added on entering that state and again only when the forecast moment of exhaustion moves by more than a
/// quarter of the time that was left when it was last reported (and by at least five minutes), so a steady leak
/// reports once. The state is left after <see cref="KennyOptions.SamplesToEnter"/> samples in a row without a
/// qualifying forecast.
/// </para>
/// <para>
/// A sample with a NaN or infinite figure, a fraction outside [0, 1], a negative latency, or a time not after the last
/// accepted one is ignored and counted in <see cref="Rejected"/>. The EWMAs advance per sample, not per second.
/// </para>
/// </remarks>
public sealed class Kenny
{
    private readonly PressureTracker _cpu;
    private readonly PressureTracker _memory;
    private readonly PressureTracker _disk;
    private readonly PressureTracker _latency;
    private readonly ExhaustionTracker _memoryTrend;
    private readonly ExhaustionTracker _diskTrend;
    private long _lastTime = long.MinValue;

    /// <summary>Makes Kenny with <paramref name="options"/>, or the defaults when null.</summary>
    /// <exception cref="ArgumentException"><paramref name="options"/> fails <see cref="KennyOptions.Validate"/>; the message names the key.</exception>
    public Kenny(KennyOptions? options = null)
    {
        options ??= new KennyOptions();
        var error = options.Validate();
        if (error is not null)
        {
            throw new ArgumentException(error, nameof(options));
        }

        var n = options.SamplesToEnter;
        var alpha = options.EwmaAlpha;
        _cpu = Pressure(Resource.Cpu, options.Cpu, 1 - options.Cpu.Enter, n, alpha);
        _memory = Pressure(Resource.Memory, options.Memory, 1 - options.Memory.Enter, n, alpha);
        _disk = Pressure(Resource.Disk, options.Disk, 1 - options.Disk.Enter, n, alpha);
        _latency = Pressure(Resource.Latency, options.LatencyMs, options.LatencyMs.Enter, n, alpha);
        var horizon = options.ExhaustionHorizon.TotalSeconds;
        _memoryTrend = new ExhaustionTracker(Resource.Memory, options.TrendWindow, horizon, options.MinTrendFit, n);
        _diskTrend = new ExhaustionTracker(Resource.Disk, options.TrendWindow, horizon, options.MinTrendFit, n);
    }

    /// <summary>Samples taken into account.</summary>
    public long Accepted { get; private set; }

    /// <summary>Samples ignored: a NaN, infinite or out-of-range figure, or a time not after the last accepted one.</summary>
    public long Rejected { get; private set; }

    /// <summary>Reads one health sample; adds to <paramref name="findings"/> whatever it concludes. Allocates nothing.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="findings"/> is null.</exception>
    public void Observe(in HealthSample sample, FindingBuffer findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        if (!IsValid(sample) || sample.Time <= _lastTime)
        {
            Rejected++;
            return;
        }

        _lastTime = sample.Time;
        Accepted++;
        _cpu.Observe(sample.Cpu, findings);
        _memory.Observe(sample.Memory, findings);
        _memoryTrend.Observe(sample.Time, sample.Memory, findings);
        _disk.Observe(sample.Disk, findings);
        _diskTrend.Observe(sample.Time, sample.Disk, findings);
        _latency.Observe(sample.LatencyMs, findings);
    }

    /// <summary>What Kenny currently thinks of <paramref name="resource"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="resource"/> is <see cref="Resource.None"/> or undefined.</exception>
    public KennyResourceState State(Resource resource) => resource switch
    {
        Resource.Cpu => new(resource, _cpu.InPressure, _cpu.Ewma, double.NaN),
        Resource.Memory => new(resource, _memory.InPressure, _memory.Ewma, _memoryTrend.SecondsToExhaustion),
        Resource.Disk => new(resource, _disk.InPressure, _disk.Ewma, _diskTrend.SecondsToExhaustion),
        Resource.Latency => new(resource, _latency.InPressure, _latency.Ewma, double.NaN),
        _ => throw new ArgumentOutOfRangeException(nameof(resource), resource, "Kenny tracks CPU, memory, disk and latency."),
    };

    internal static double PressureConfidence(double meanExcess, double headroom, long band, int samplesToEnter)
    {
        var depth = headroom > 0 ? Math.Clamp(meanExcess / headroom, 0, 1) : 1;
        var persistence = Math.Min(1, band / (3.0 * samplesToEnter));
        return 0.5 + (0.35 * depth) + (0.15 * persistence);
    }

    internal static double RecoveredConfidence(double ewma, double enter, double exit) =>
        0.5 + (0.5 * Math.Clamp((exit - ewma) / (enter - exit), 0, 1));

    internal static double ForecastConfidence(double rSquared, int samples, int window) =>
        rSquared * Math.Sqrt(Math.Min(1, (double)samples / window));

    internal static double MaterialShift(double remainingWhenReported) => Math.Max(300, 0.25 * remainingWhenReported);

    private static PressureTracker Pressure(Resource resource, PressureLevels levels, double headroom, int samplesToEnter, double alpha) =>
        new(resource, levels.Enter, levels.Exit, headroom, samplesToEnter, alpha);

    private static bool IsValid(in HealthSample sample) =>
        IsFraction(sample.Cpu) && IsFraction(sample.Memory) && IsFraction(sample.Disk)
        && sample.LatencyMs >= 0 && double.IsFinite(sample.LatencyMs);

    // Written so NaN fails it.
    private static bool IsFraction(double value) => value is >= 0 and <= 1;
}
