namespace Node.Daemon.Api.Access;

/// <summary>
/// How many calls each API key may make over TCP (section <c>Api:Tcp:RateLimit</c>): a token
/// bucket per key that holds <see cref="Burst"/> calls and refills at <see cref="PermitsPerSecond"/>.
/// Calls over the Unix socket are not limited.
/// </summary>
public sealed class ApiRateLimitOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Api:Tcp:RateLimit";

    /// <summary>The most <see cref="PermitsPerSecond"/> allowed.</summary>
    public const int MaxPermitsPerSecond = 10_000;

    /// <summary>The most <see cref="Burst"/> allowed.</summary>
    public const int MaxBurst = 100_000;

    /// <summary>Calls per second each key may sustain, 1 to 10000. Defaults to 100.</summary>
    public int PermitsPerSecond { get; set; } = 100;

    /// <summary>Calls a key may make at once after a quiet spell, 1 to 100000. Defaults to 200.</summary>
    public int Burst { get; set; } = 200;
}
