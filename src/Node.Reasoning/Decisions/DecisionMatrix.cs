using Node.Reasoning.Decisions.Internal;

namespace Node.Reasoning.Decisions;

/// <summary>
/// The decision matrix (ARCHITECTURE.md, "Reasoning", stage 5): approves a decision automatically when its
/// confidence is at or above its type's threshold, the type is under its cap of automatic approvals in the last
/// 60 minutes, and no guardian has stopped automatic action; otherwise it escalates to a guardian.
/// </summary>
/// <remarks>
/// Thread-safe. <see cref="Evaluate"/> allocates nothing. The hourly window is sliding: an approval at time t counts
/// until t + 60 min (exclusive), by <see cref="TimeProvider.GetUtcNow"/>. Memory is bounded: each type holds at most
/// its cap of timestamps.
/// </remarks>
public sealed class DecisionMatrix
{
    private static readonly long WindowTicks = TimeSpan.FromHours(1).Ticks;

    private readonly Dictionary<string, ApprovalWindow> _types;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private string? _stoppedBy;
    private string? _stopReason;
    private DateTimeOffset? _stoppedAt;

    /// <summary>Makes a matrix of <paramref name="policy"/>, telling time by <paramref name="time"/>.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="policy"/> fails <see cref="DecisionPolicy.Validate"/>; the message names the rule.</exception>
    public DecisionMatrix(DecisionPolicy policy, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(time);
        var error = policy.Validate();
        if (error is not null)
        {
            throw new ArgumentException(error, nameof(policy));
        }

        Policy = policy;
        _time = time;
        _types = new Dictionary<string, ApprovalWindow>(policy.Rules.Count, StringComparer.Ordinal);
        foreach (var rule in policy.Rules)
        {
            _types.Add(rule.Type, new ApprovalWindow(rule));
        }
    }

    /// <summary>The policy it applies.</summary>
    public DecisionPolicy Policy { get; }

    /// <summary>Whether a guardian has stopped all automatic approval.</summary>
    public bool IsStopped
    {
        get
        {
            lock (_gate)
            {
                return _stoppedBy is not null;
            }
        }
    }

    /// <summary>The guardian who stopped automatic approval; null while not stopped.</summary>
    public string? StoppedBy
    {
        get
        {
            lock (_gate)
            {
                return _stoppedBy;
            }
        }
    }

    /// <summary>Why the guardian stopped it; null while not stopped.</summary>
    public string? StopReason
    {
        get
        {
            lock (_gate)
            {
                return _stopReason;
            }
        }
    }

    /// <summary>When it was stopped; null while not stopped.</summary>
    public DateTimeOffset? StoppedAt
    {
        get
        {
            lock (_gate)
            {
                return _stoppedAt;
            }
        }
    }

    /// <summary>
    /// Judges a decision of <paramref name="type"/> made with <paramref name="confidence"/>, and counts it toward the
    /// hourly cap when it is approved. Refused (an unknown type, then a confidence that is NaN or outside [0, 1]) comes
    /// first; then escalation reasons in this order: <see cref="DecisionReason.GuardianStop"/>,
    /// <see cref="DecisionReason.NeverAutomatic"/>, <see cref="DecisionReason.BelowThreshold"/>,
    /// <see cref="DecisionReason.OverHourlyCap"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="type"/> is null.</exception>
    public DecisionVerdict Evaluate(string type, double confidence)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (!_types.TryGetValue(type, out var window))
        {
            return new(DecisionOutcome.Refused, DecisionReason.UnknownType, double.NaN, 0, 0);
        }

        var rule = window.Rule;
        lock (_gate)
        {
            var now = _time.GetUtcNow().UtcTicks;
            var count = window.CountAfter(now - WindowTicks);
            var reason =
                !(confidence is >= 0 and <= 1) ? DecisionReason.InvalidConfidence
                : _stoppedBy is not null ? DecisionReason.GuardianStop
                : rule.MaxAutoPerHour == 0 ? DecisionReason.NeverAutomatic
                : confidence < rule.Threshold ? DecisionReason.BelowThreshold
                : count >= rule.MaxAutoPerHour ? DecisionReason.OverHourlyCap
                : DecisionReason.AtOrAboveThreshold;
            var outcome = reason switch
            {
                DecisionReason.AtOrAboveThreshold => DecisionOutcome.AutoApproved,
                DecisionReason.InvalidConfidence => DecisionOutcome.Refused,
                _ => DecisionOutcome.Escalated,
            };
            if (outcome == DecisionOutcome.AutoApproved)
            {
                window.Record(now);
            }

            return new(outcome, reason, rule.Threshold, rule.MaxAutoPerHour, count);
        }
    }

    /// <summary>Automatic approvals of <paramref name="type"/> in the last 60 minutes (at most its cap); 0 for an unknown type.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="type"/> is null.</exception>
    public int ApprovalsInLastHour(string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (!_types.TryGetValue(type, out var window))
        {
            return 0;
        }

        lock (_gate)
        {
            return window.CountAfter(_time.GetUtcNow().UtcTicks - WindowTicks);
        }
    }

    /// <summary>
    /// Seeds the hourly window after a restart with an automatic approval the store recorded at <paramref name="at"/>,
    /// so the cap holds across restarts. Approvals older than 60 minutes, and of unknown types, are ignored.
    /// </summary>
    /// <returns>Whether it was of a known type (and so recorded, or too old to matter).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="type"/> is null.</exception>
    public bool RecordPastApproval(string type, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (!_types.TryGetValue(type, out var window))
        {
            return false;
        }

        lock (_gate)
        {
            if (at.UtcTicks > _time.GetUtcNow().UtcTicks - WindowTicks)
            {
                window.Record(at.UtcTicks);
            }

            return true;
        }
    }

    /// <summary>Stops all automatic approval, of every type, until <see cref="Resume"/>; the time is now.</summary>
    /// <param name="guardian">Who stops it.</param>
    /// <param name="reason">Why, in the guardian's words.</param>
    /// <returns>True when this stopped it; false when it was already stopped (the first stop stands).</returns>
    /// <exception cref="ArgumentException">An argument is null, empty or white space.</exception>
    public bool Stop(string guardian, string reason) => RestoreStop(guardian, reason, _time.GetUtcNow());

    /// <summary>Restores, after a restart, a stop the store recorded; the same as <see cref="Stop"/> made at <paramref name="at"/>.</summary>
    /// <returns>True when this stopped it; false when it was already stopped (the first stop stands).</returns>
    /// <exception cref="ArgumentException"><paramref name="guardian"/> or <paramref name="reason"/> is null, empty or white space.</exception>
    public bool RestoreStop(string guardian, string reason, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(guardian);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        lock (_gate)
        {
            if (_stoppedBy is not null)
            {
                return false;
            }

            _stoppedBy = guardian;
            _stopReason = reason;
            _stoppedAt = at;
            return true;
        }
    }

    /// <summary>Lets automatic approval resume. Any guardian may resume; who may is the caller's concern.</summary>
    /// <returns>True when this resumed it; false when it was not stopped.</returns>
    /// <exception cref="ArgumentException"><paramref name="guardian"/> is null, empty or white space.</exception>
    public bool Resume(string guardian)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(guardian);
        lock (_gate)
        {
            if (_stoppedBy is null)
            {
                return false;
            }

            _stoppedBy = null;
            _stopReason = null;
            _stoppedAt = null;
            return true;
        }
    }
}
