using Node.Reasoning.Indicators;
using Node.Reasoning.Outcomes;
using Node.Reasoning.Reasoners;

namespace Node.Reasoning.Pipeline;

/// <summary>Everything the pipeline keeps about one market subject: bounded, allocated once.</summary>
internal sealed class MarketSubject(string name, KyleOptions kyle)
{
    /// <summary>Claims waiting for their outcome at most (one per bar over the longest horizon, with room).</summary>
    public const int MaxPending = 64;

    private readonly PendingOutcome[] _pending = new PendingOutcome[MaxPending];

    public string Name { get; } = name;

    public MarketIndicators Indicators { get; } = new();

    public Kyle Kyle { get; } = new(kyle);

    public Baseline Baseline { get; } = new();

    public long LastTime { get; set; } = long.MinValue;

    /// <summary>Running typical spacing between bars, seconds (an EWMA of spacings, each capped at 4 times it).</summary>
    public double SpacingSeconds { get; set; } = double.NaN;

    public long Accepted { get; set; }

    public long Rejected { get; set; }

    public int PendingCount { get; private set; }

    /// <summary>Claims not judged because <see cref="MaxPending"/> were waiting.</summary>
    public long Untracked { get; private set; }

    public ref PendingOutcome Pending(int index) => ref _pending[index];

    public void AddPending(in PendingOutcome pending)
    {
        if (PendingCount == MaxPending)
        {
            Untracked++;
            return;
        }

        _pending[PendingCount++] = pending;
    }

    /// <summary>Removes the pending claim at <paramref name="index"/> (order is not kept).</summary>
    public void RemovePending(int index) => _pending[index] = _pending[--PendingCount];

    /// <summary>Whether the bar at <paramref name="time"/> comes after a gap; updates the typical spacing.</summary>
    public bool Gap(long time)
    {
        if (LastTime == long.MinValue)
        {
            return false;
        }

        var spacing = (double)(time - LastTime);
        if (double.IsNaN(SpacingSeconds))
        {
            SpacingSeconds = spacing;
            return false;
        }

        var gap = spacing > 4 * SpacingSeconds;
        SpacingSeconds += 0.1 * (Math.Min(spacing, 4 * SpacingSeconds) - SpacingSeconds);
        return gap;
    }
}
