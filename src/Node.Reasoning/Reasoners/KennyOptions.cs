using System.Globalization;

namespace Node.Reasoning.Reasoners;

/// <summary>How <see cref="Kenny"/> reads the node's health. Checked by <see cref="Validate"/>; <see cref="Kenny"/> refuses invalid options.</summary>
public sealed class KennyOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Reasoning:Kenny";

    /// <summary>Memory pressure band, fractions. Defaults to enter 0.85, exit 0.75.</summary>
    public PressureLevels Memory { get; set; } = new() { Enter = 0.85, Exit = 0.75 };

    /// <summary>Disk pressure band, fractions. Defaults to enter 0.90, exit 0.80.</summary>
    public PressureLevels Disk { get; set; } = new() { Enter = 0.90, Exit = 0.80 };

    /// <summary>CPU pressure band, fractions. Defaults to enter 0.90, exit 0.70.</summary>
    public PressureLevels Cpu { get; set; } = new() { Enter = 0.90, Exit = 0.70 };

    /// <summary>Store latency pressure band, milliseconds. Defaults to enter 200 ms, exit 100 ms.</summary>
    public PressureLevels LatencyMs { get; set; } = new() { Enter = 200, Exit = 100 };

    /// <summary>Consecutive samples with the smoothed use at or above the enter level before pressure is entered, 1 to 1000. Defaults to 5.</summary>
    public int SamplesToEnter { get; set; } = 5;

    /// <summary>Samples the memory and disk trends are fitted over, 4 to 100 000. Defaults to 60 (10 minutes at one sample per 10 s).</summary>
    public int TrendWindow { get; set; } = 60;

    /// <summary>How far ahead an exhaustion is forecast, 1 minute to 365 days. Defaults to 24 hours.</summary>
    public TimeSpan ExhaustionHorizon { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The least R² of a trend fit that may forecast exhaustion, in (0, 1]. Defaults to 0.8.</summary>
    public double MinTrendFit { get; set; } = 0.8;

    /// <summary>
    /// Weight of the newest sample in each resource's exponentially weighted moving average, in (0, 1]. Defaults to 0.3
    /// (a time constant of about three samples: a one-to-three-sample spike fades before it can be sustained).
    /// </summary>
    public double EwmaAlpha { get; set; } = 0.3;

    /// <summary>Checks every option.</summary>
    /// <returns>Null when valid; otherwise a message naming the key, the value and the allowed range.</returns>
    public string? Validate() =>
        Band(nameof(Memory), Memory, fraction: true)
        ?? Band(nameof(Disk), Disk, fraction: true)
        ?? Band(nameof(Cpu), Cpu, fraction: true)
        ?? Band(nameof(LatencyMs), LatencyMs, fraction: false)
        ?? (SamplesToEnter is < 1 or > 1000 ? Fail(nameof(SamplesToEnter), SamplesToEnter, "between 1 and 1000") : null)
        ?? (TrendWindow is < 4 or > 100_000 ? Fail(nameof(TrendWindow), TrendWindow, "between 4 and 100000") : null)
        ?? (ExhaustionHorizon < TimeSpan.FromMinutes(1) || ExhaustionHorizon > TimeSpan.FromDays(365)
            ? Fail(nameof(ExhaustionHorizon), ExhaustionHorizon, "between 00:01:00 and 365.00:00:00") : null)
        ?? (!(MinTrendFit > 0 && MinTrendFit <= 1) ? Fail(nameof(MinTrendFit), MinTrendFit, "in (0, 1]") : null)
        ?? (!(EwmaAlpha > 0 && EwmaAlpha <= 1) ? Fail(nameof(EwmaAlpha), EwmaAlpha, "in (0, 1]") : null);

    private static string? Band(string name, PressureLevels? levels, bool fraction)
    {
        if (levels is null)
        {
            return $"{SectionName}:{name} is missing.";
        }

        var ceiling = fraction ? 1 : double.MaxValue;
        if (!(levels.Enter > 0 && levels.Enter <= ceiling))
        {
            return Fail($"{name}:Enter", levels.Enter, fraction ? "in (0, 1]" : "a positive number");
        }

        return levels.Exit > 0 && levels.Exit < levels.Enter
            ? null
            : Fail($"{name}:Exit", levels.Exit, string.Create(CultureInfo.InvariantCulture, $"above 0 and below Enter ({levels.Enter})"));
    }

    private static string Fail<T>(string key, T value, string range) =>
        string.Create(CultureInfo.InvariantCulture, $"{SectionName}:{key} must be {range}; was {value}.");
}
