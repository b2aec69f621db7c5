namespace Node.Federation.Link.Internal;

/// <summary>
/// The delay before each reconnect attempt to one peer: gRPC's connection back-off
/// (grpc/grpc <c>doc/connection-backoff.md</c>) with the cap lowered for a LAN. The base starts at
/// <see cref="PeerLinkOptions.BackoffInitial"/> and grows ×1.6 after each attempt up to
/// <see cref="PeerLinkOptions.BackoffMax"/>; each delay is the base ±20 % (uniform), so nodes that
/// lost a peer together do not retry in step. A link that stayed up
/// <see cref="PeerLinkOptions.BackoffResetAfter"/> starts again from the initial delay when it ends.
/// </summary>
/// <remarks>Not thread-safe: one per peer, owned by its link loop. The <see cref="Random"/> is injected so tests can seed it.</remarks>
internal sealed class Backoff
{
    /// <summary>Growth of the base delay per attempt.</summary>
    public const double Multiplier = 1.6;

    /// <summary>Each delay is within this fraction of the base, either way.</summary>
    public const double Jitter = 0.2;

    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private readonly TimeSpan _resetAfter;
    private readonly TimeSpan _refusedRetry;
    private readonly Random _random;

    public Backoff(PeerLinkOptions options, Random random)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.BackoffInitial, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BackoffMax, options.BackoffInitial, nameof(options));
        (_initial, _max, _resetAfter, _refusedRetry, _random) = (options.BackoffInitial, options.BackoffMax, options.BackoffResetAfter, options.RefusedRetry, random);
        Base = _initial;
    }

    /// <summary>The base of the next delay: <see cref="PeerLinkOptions.BackoffInitial"/> × 1.6ⁿ after n attempts, at most <see cref="PeerLinkOptions.BackoffMax"/>.</summary>
    public TimeSpan Base { get; private set; }

    /// <summary>The delay before the next attempt (the base ±20 %); the base then grows.</summary>
    public TimeSpan Next()
    {
        var delay = Base * (1 + (Jitter * ((2 * _random.NextDouble()) - 1)));
        Base = TimeSpan.FromTicks((long)Math.Min(Base.Ticks * Multiplier, _max.Ticks));
        return delay;
    }

    /// <summary>Starts again from the initial delay: the peer is reachable (it announced itself anew, its manifest changed, or it dialled us).</summary>
    public void Reset() => Base = _initial;

    /// <summary>A link ended after being up <paramref name="upFor"/>: a stable one (at least <see cref="PeerLinkOptions.BackoffResetAfter"/>) resets the delay.</summary>
    public void LinkEnded(TimeSpan upFor)
    {
        if (upFor >= _resetAfter)
        {
            Reset();
        }
    }

    /// <summary>
    /// The peer refused our heartbeat (it holds us below external): the delay before trying again is
    /// <see cref="PeerLinkOptions.RefusedRetry"/>, and the back-off starts again from the initial
    /// delay (the peer is reachable; it is its tier for us that keeps the link down).
    /// </summary>
    public TimeSpan Refused()
    {
        Reset();
        return _refusedRetry;
    }
}
