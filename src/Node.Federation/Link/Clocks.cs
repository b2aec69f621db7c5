using System.Globalization;

namespace Node.Federation.Link;

/// <summary>Clock differences between nodes, in words.</summary>
public static class Clocks
{
    /// <summary>How far apart two clocks may be before diagnosis mentions it: 1 minute (manifests allow 5, "Peer link").</summary>
    public static readonly TimeSpan NoticeableSkew = TimeSpan.FromMinutes(1);

    /// <summary>"90 s ahead of", "2.0 h behind": <paramref name="skew"/> of the peer's clock against this node's.</summary>
    public static string Describe(TimeSpan skew)
    {
        var size = skew.Duration();
        var amount = size.TotalSeconds < 120
            ? string.Create(CultureInfo.InvariantCulture, $"{size.TotalSeconds:0} s")
            : size.TotalMinutes < 120
                ? string.Create(CultureInfo.InvariantCulture, $"{size.TotalMinutes:0} min")
                : size.TotalHours < 48
                    ? string.Create(CultureInfo.InvariantCulture, $"{size.TotalHours:0.0} h")
                    : string.Create(CultureInfo.InvariantCulture, $"{size.TotalDays:0} days");
        return skew >= TimeSpan.Zero ? $"{amount} ahead of" : $"{amount} behind";
    }
}
