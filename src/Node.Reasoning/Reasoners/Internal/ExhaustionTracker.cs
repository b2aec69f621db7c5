using Node.Reasoning.Findings;

namespace Node.Reasoning.Reasoners.Internal;

/// <summary>Time to exhaustion of one resource from its sliding linear trend, reported on entry and on material change.</summary>
/// <remarks>Not thread-safe. No allocation after construction.</remarks>
internal sealed class ExhaustionTracker
{
    private readonly Resource _resource;
    private readonly LinearTrend _trend;
    private readonly double _horizonSeconds;
    private readonly double _minFit;
    private readonly int _minSamples;
    private readonly int _samplesToLeave;

    private double _reportedInstant;   // unix seconds at which the last reported forecast ran out
    private double _reportedRemaining; // seconds left when it was reported
    private int _misses;

    public ExhaustionTracker(Resource resource, int window, double horizonSeconds, double minFit, int samplesToLeave)
    {
        _resource = resource;
        _trend = new LinearTrend(window);
        _horizonSeconds = horizonSeconds;
        _minFit = minFit;
        _minSamples = Math.Max(3, window / 2);
        _samplesToLeave = samplesToLeave;
    }

    public bool Active { get; private set; }

    public double SecondsToExhaustion { get; private set; } = double.NaN;

    public void Observe(long time, double use, FindingBuffer findings)
    {
        _trend.Add(time, use);
        if (_trend.Count >= _minSamples
            && _trend.TryFit(out var slope, out var rSquared, out var fitted)
            && slope > 0
            && rSquared >= _minFit)
        {
            var seconds = Math.Max(0, (1 - fitted) / slope);
            if (seconds <= _horizonSeconds)
            {
                _misses = 0;
                SecondsToExhaustion = seconds;
                var instant = time + seconds;
                if (!Active || Math.Abs(instant - _reportedInstant) > Kenny.MaterialShift(_reportedRemaining))
                {
                    Active = true;
                    _reportedInstant = instant;
                    _reportedRemaining = seconds;
                    findings.Add(new Finding(Reasoner.Kenny, FindingKind.ExhaustionForecast, +1,
                        Kenny.ForecastConfidence(rSquared, _trend.Count, _trend.Window), use, seconds, _resource));
                }

                return;
            }
        }

        // A forecast stands until it has failed as many samples in a row as pressure needs to enter,
        // so a fit hovering around the R² floor does not report again and again.
        if (Active && ++_misses >= _samplesToLeave)
        {
            Active = false;
            _misses = 0;
            SecondsToExhaustion = double.NaN;
        }
    }
}
