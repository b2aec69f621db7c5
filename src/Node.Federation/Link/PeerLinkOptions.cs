namespace Node.Federation.Link;

/// <summary>
/// Settings of the link between peers (section <c>Federation:Link</c>): heartbeats and liveness,
/// who dials, and reconnecting (docs/protocol.md, "Peer link", gives the reasoning behind each default).
/// </summary>
public sealed class PeerLinkOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Federation:Link";

    /// <summary>
    /// Time between the beats each side sends on a link's heartbeat stream, 1 s to 5 min. Defaults to
    /// 10 s: about 0.55 KB a minute per peer each way.
    /// </summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Silence after which a linked peer is <see cref="LinkState.Suspect"/>: more than twice
    /// <see cref="HeartbeatInterval"/> (two beats missed, and slack), less than <see cref="DownAfter"/>.
    /// Defaults to 25 s. A lost transport makes the peer suspect at once.
    /// </summary>
    public TimeSpan SuspectAfter { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>
    /// Silence after which a linked peer is <see cref="LinkState.Down"/> and leaves the active set:
    /// more than <see cref="SuspectAfter"/>, at most 1 h. Defaults to 60 s.
    /// </summary>
    public TimeSpan DownAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long the node with the higher id waits for the lower one to dial it before dialling
    /// itself, 0 to 1 h; null, the default, means twice <see cref="HeartbeatInterval"/> (20 s).
    /// Read it through <see cref="EffectiveAcceptGrace"/>.
    /// </summary>
    public TimeSpan? AcceptGrace { get; set; }

    /// <summary>The first reconnect delay, 100 ms to 1 min. Defaults to 1 s; each failed attempt multiplies it by 1.6.</summary>
    public TimeSpan BackoffInitial { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The cap on the reconnect delay before jitter (±20 %), from <see cref="BackoffInitial"/> to
    /// 1 h. Defaults to 60 s.
    /// </summary>
    public TimeSpan BackoffMax { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long a link must have been up for the reconnect delay to start again from
    /// <see cref="BackoffInitial"/> when it ends, 1 s to 1 h. Defaults to 30 s.
    /// </summary>
    public TimeSpan BackoffResetAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Time between attempts while the peer refuses our heartbeat (it holds us below external),
    /// 1 s to 1 day. Defaults to 5 min; the peer dialling us, or a change of its manifest, retries at once.
    /// </summary>
    public TimeSpan RefusedRetry { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary><see cref="AcceptGrace"/> when set, else twice <see cref="HeartbeatInterval"/>.</summary>
    public TimeSpan EffectiveAcceptGrace => AcceptGrace ?? 2 * HeartbeatInterval;
}
