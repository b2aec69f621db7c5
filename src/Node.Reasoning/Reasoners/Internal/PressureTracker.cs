using Node.Reasoning.Findings;

namespace Node.Reasoning.Reasoners.Internal;

/// <summary>Sustained pressure on one resource: an EWMA with a hysteresis band and an entry debounce.</summary>
/// <remarks>Not thread-safe. No allocation after construction.</remarks>
internal sealed class PressureTracker
{
    private readonly Resource _resource;
    private readonly double _enter;
    private readonly double _exit;
    private readonly double _headroom;
    private readonly int _samplesToEnter;
    private readonly double _alpha;

    private long _run;          // consecutive samples with the EWMA at or above the enter level
    private double _runExcess;  // sum of (EWMA − enter) over that run
    private long _band;         // consecutive samples with the EWMA at or above the exit level
    private long _inPressure;   // samples since pressure was entered

    // headroom: how far above the enter level counts as the deepest pressure (1 − enter for fractions).
    public PressureTracker(Resource resource, double enter, double exit, double headroom, int samplesToEnter, double alpha)
    {
        _resource = resource;
        _enter = enter;
        _exit = exit;
        _headroom = headroom;
        _samplesToEnter = samplesToEnter;
        _alpha = alpha;
    }

    public double Ewma { get; private set; } = double.NaN;

    public bool InPressure { get; private set; }

    public void Observe(double value, FindingBuffer findings)
    {
        Ewma = double.IsNaN(Ewma) ? value : Ewma + (_alpha * (value - Ewma));
        _band = Ewma >= _exit ? _band + 1 : 0;

        if (InPressure)
        {
            _inPressure++;
            if (Ewma < _exit)
            {
                InPressure = false;
                findings.Add(new Finding(Reasoner.Kenny, FindingKind.ResourceRecovered, -1,
                    Kenny.RecoveredConfidence(Ewma, _enter, _exit), Ewma, _inPressure, _resource));
                _run = 0;
                _runExcess = 0;
            }

            return;
        }

        if (Ewma >= _enter)
        {
            _run++;
            _runExcess += Ewma - _enter;
        }
        else
        {
            _run = 0;
            _runExcess = 0;
        }

        if (_run >= _samplesToEnter)
        {
            InPressure = true;
            _inPressure = 0;
            findings.Add(new Finding(Reasoner.Kenny, FindingKind.ResourcePressure, +1,
                Kenny.PressureConfidence(_runExcess / _run, _headroom, _band, _samplesToEnter), Ewma, _run, _resource));
        }
    }
}
