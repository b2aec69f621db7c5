using System.Diagnostics;

namespace Node.Reasoning.Decisions.Internal;

/// <summary>
/// One decision type's rule and its automatic approvals of the last hour: at most cap timestamps, since only
/// whether the cap is reached matters. O(cap) per question, no allocation after construction.
/// </summary>
/// <remarks>Not thread-safe: <see cref="DecisionMatrix"/> guards it.</remarks>
internal sealed class ApprovalWindow(DecisionRule rule)
{
    // UTC ticks of the newest approvals, in no particular order (seeding may come out of order).
    private readonly long[] _ticks = new long[rule.MaxAutoPerHour];
    private int _count;

    public DecisionRule Rule { get; } = rule;

    /// <summary>How many held approvals are later than <paramref name="sinceTicks"/> (exclusive).</summary>
    public int CountAfter(long sinceTicks)
    {
        var n = 0;
        for (var i = 0; i < _count; i++)
        {
            if (_ticks[i] > sinceTicks)
            {
                n++;
            }
        }

        return n;
    }

    /// <summary>Records an approval; when full it replaces the oldest held one, if older.</summary>
    public void Record(long ticks)
    {
        if (_ticks.Length == 0)
        {
            return;
        }

        if (_count < _ticks.Length)
        {
            _ticks[_count++] = ticks;
            return;
        }

        var oldest = 0;
        for (var i = 1; i < _count; i++)
        {
            if (_ticks[i] < _ticks[oldest])
            {
                oldest = i;
            }
        }

        // An approval older than all the cap newest ones cannot change whether the cap is reached.
        if (ticks > _ticks[oldest])
        {
            _ticks[oldest] = ticks;
        }

        Debug.Assert(_count == _ticks.Length);
    }
}
