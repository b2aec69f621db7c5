using System.Collections.ObjectModel;
using System.Globalization;

namespace Node.Reasoning.Decisions;

/// <summary>The approval rules of every decision type the node knows.</summary>
/// <remarks>
/// Immutable. The constructor takes any rules; <see cref="Validate"/> says whether they make a usable policy,
/// and <see cref="DecisionMatrix"/> refuses one that does not.
/// </remarks>
public sealed class DecisionPolicy
{
    /// <summary>The largest hourly cap a rule may have (one a second), so each type's window stays small.</summary>
    public const int MaxCap = 3600;

    /// <summary>Makes a policy of <paramref name="rules"/> (copied, not validated).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="rules"/> is null.</exception>
    public DecisionPolicy(IEnumerable<DecisionRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        Rules = Array.AsReadOnly(rules.ToArray());
    }

    /// <summary>
    /// The node's defaults. Thresholds: rollback 0.7, deployment 0.8, scaling 0.85, self_heal 0.75, publish 0.6,
    /// promotion 0.9, alert 1. Hourly caps: rollback 2 (a second rollback within the hour already says something is
    /// wrong that a third will not fix), deployment 1 (one change at a time, so a fault can be traced to it),
    /// scaling 4 (one step every 15 minutes damps oscillation), self_heal 6 (a compaction or restart every 10 minutes
    /// at most; more is a loop), publish 60 (one insight a minute keeps peers informed without flooding them),
    /// promotion 10 (trust is widened slowly), alert 0 (an alert is for the guardian: never automatic).
    /// </summary>
    public static DecisionPolicy Default { get; } = new(
    [
        new(DecisionTypes.Rollback, 0.7, 2),
        new(DecisionTypes.Deployment, 0.8, 1),
        new(DecisionTypes.Scaling, 0.85, 4),
        new(DecisionTypes.SelfHeal, 0.75, 6),
        new(DecisionTypes.Publish, 0.6, 60),
        new(DecisionTypes.Promotion, 0.9, 10),
        new(DecisionTypes.Alert, 1.0, 0),
    ]);

    /// <summary>The rules, in the order given.</summary>
    public ReadOnlyCollection<DecisionRule> Rules { get; }

    /// <summary>
    /// Checks every rule: the type matches <c>[a-z_]{1,32}</c> and is not repeated, the threshold is in (0, 1],
    /// the cap is in [0, <see cref="MaxCap"/>].
    /// </summary>
    /// <returns>Null when the policy is usable; otherwise a message naming the first bad rule and what is wrong.</returns>
    public string? Validate()
    {
        for (var i = 0; i < Rules.Count; i++)
        {
            var rule = Rules[i];
            var position = (i + 1).ToString(CultureInfo.InvariantCulture);
            if (!IsTypeName(rule.Type))
            {
                return $"Decision rule #{position}: type '{rule.Type}' must match [a-z_]{{1,32}}.";
            }

            if (!(rule.Threshold > 0 && rule.Threshold <= 1))
            {
                return string.Create(CultureInfo.InvariantCulture,
                    $"Decision rule '{rule.Type}': threshold must be in (0, 1]; was {rule.Threshold}.");
            }

            if (rule.MaxAutoPerHour is < 0 or > MaxCap)
            {
                return string.Create(CultureInfo.InvariantCulture,
                    $"Decision rule '{rule.Type}': MaxAutoPerHour must be between 0 and {MaxCap}; was {rule.MaxAutoPerHour}.");
            }

            for (var j = 0; j < i; j++)
            {
                if (string.Equals(Rules[j].Type, rule.Type, StringComparison.Ordinal))
                {
                    return $"Decision rule '{rule.Type}' (#{position}) repeats rule #{(j + 1).ToString(CultureInfo.InvariantCulture)}.";
                }
            }
        }

        return null;
    }

    private static bool IsTypeName(string? type)
    {
        if (type is null || type.Length is 0 or > 32)
        {
            return false;
        }

        foreach (var c in type)
        {
            if (c is not ((>= 'a' and <= 'z') or '_'))
            {
                return false;
            }
        }

        return true;
    }
}
