using System.Collections.Concurrent;
using Node.Federation.Identity;
using Node.Federation.Link.Server;

namespace Node.Federation.Link;

/// <summary>Who dialled a link.</summary>
public enum LinkDirection
{
    /// <summary>No link.</summary>
    None,

    /// <summary>This node dialled the peer.</summary>
    Outbound,

    /// <summary>The peer dialled this node.</summary>
    Inbound,
}

/// <summary>A peer's link as this node sees it now (<c>nodectl peers list</c>, <c>peers show</c>).</summary>
/// <param name="NodeId">The peer.</param>
/// <param name="State">Its link state.</param>
/// <param name="Direction">Who dialled the link that is up (or was last).</param>
/// <param name="Rtt">The smoothed round trip, when measured (on links this node dialled).</param>
/// <param name="LastHeartbeatAt">When the last beat arrived.</param>
/// <param name="Since">When the state last changed.</param>
/// <param name="Problem">Why the link is not up, in words; null when it is, or nothing was tried.</param>
/// <param name="ProblemAt">When <paramref name="Problem"/> happened.</param>
/// <param name="ProblemKind">What kind of problem <paramref name="Problem"/> is.</param>
/// <param name="ClockSkew">
/// How far the peer's wall clock is ahead of this node's (behind when negative), from its last
/// <c>Hello</c> reply, less half the round trip; null when not known (a link the peer dialled).
/// </param>
public sealed record PeerLinkStatus(NodeId NodeId, LinkState State, LinkDirection Direction, TimeSpan? Rtt, DateTimeOffset? LastHeartbeatAt,
    DateTimeOffset? Since, string? Problem, DateTimeOffset? ProblemAt, LinkProblem ProblemKind = LinkProblem.None, TimeSpan? ClockSkew = null);

/// <summary>Why a static peer known by address alone has not been reached: its node id is not known yet.</summary>
/// <param name="Address">The address an operator added.</param>
/// <param name="Problem">The last failure, in words.</param>
/// <param name="Kind">Its kind.</param>
/// <param name="At">When.</param>
public sealed record LearningProblem(string Address, string Problem, LinkProblem Kind, DateTimeOffset At);

/// <summary>
/// The links of this node, by peer: what its own dialling loops report (<see cref="PeerLinkHost"/>)
/// merged with the Heartbeat streams peers hold open to it (<see cref="InboundLinks"/>). Liveness is
/// never trust: nothing here changes a tier. Thread-safe.
/// </summary>
public sealed class PeerLinks(InboundLinks inbound, PeerLinkOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<NodeId, PeerLinkStatus> _outbound = new();
    private readonly ConcurrentDictionary<string, LearningProblem> _learning = new(StringComparer.Ordinal);

    /// <summary>
    /// Notes why a static peer known by address alone was not reached yet (its id is learnt on the
    /// first link); null once it was, or is no longer wanted.
    /// </summary>
    public void ReportLearning(string address, LearningProblem? problem)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (problem is null)
        {
            _learning.TryRemove(address, out _);
        }
        else
        {
            _learning[address] = problem;
        }
    }

    /// <summary>Static peers known by address alone that were not reached yet, and why.</summary>
    public IReadOnlyList<LearningProblem> Learning() => [.. _learning.Values.OrderBy(p => p.Address, StringComparer.Ordinal)];

    /// <summary>What this node's own loop says of a peer.</summary>
    public void Report(PeerLinkStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        _outbound[status.NodeId] = status;
    }

    /// <summary>Forgets this node's own loop's view of <paramref name="peer"/> (it no longer wants a link).</summary>
    public void Forget(NodeId peer) => _outbound.TryRemove(peer, out _);

    /// <summary>Whether <paramref name="peer"/> holds a Heartbeat stream open to this node that beat within the suspect time.</summary>
    public bool HasLiveInbound(NodeId peer) => Inbound(peer) is { State: LinkState.Connected };

    /// <summary>Completes when a Heartbeat stream <paramref name="peer"/> holds open to this node ends (at once when none is open).</summary>
    public Task InboundEnded(NodeId peer) => inbound.WhenEnded(peer);

    /// <summary>The link of <paramref name="peer"/>: the better of this node's own and the peer's inbound one.</summary>
    public PeerLinkStatus Of(NodeId peer)
    {
        var ours = _outbound.GetValueOrDefault(peer);
        // A link lost is suspect until its peer has been silent the down time: then down, whether or not a dial is under way.
        if (ours is { State: LinkState.Suspect or LinkState.Connecting, LastHeartbeatAt: { } heard } && time.GetUtcNow() - heard >= options.DownAfter)
        {
            ours = ours with { State = LinkState.Down, Since = heard + options.DownAfter };
        }

        var theirs = Inbound(peer);
        if (theirs is not null && (ours is null || Rank(theirs.State) > Rank(ours.State)))
        {
            return theirs with { Problem = ours?.Problem, ProblemAt = ours?.ProblemAt, ProblemKind = ours?.ProblemKind ?? LinkProblem.None, ClockSkew = ours?.ClockSkew };
        }

        return ours ?? new PeerLinkStatus(peer, LinkState.Never, LinkDirection.None, null, null, null, null, null);
    }

    // Which of two views of one link tells more: up, then losing it, then trying, then gone, then nothing.
    private static int Rank(LinkState state) => state switch
    {
        LinkState.Connected => 4,
        LinkState.Suspect => 3,
        LinkState.Connecting => 2,
        LinkState.Down => 1,
        _ => 0,
    };

    /// <summary>Peers whose link is connected now: the active set.</summary>
    public IReadOnlyList<NodeId> Active() =>
        [.. _outbound.Keys.Concat(inbound.List().Select(l => l.NodeId)).Distinct().Where(p => Of(p).State == LinkState.Connected)];

    private PeerLinkStatus? Inbound(NodeId peer)
    {
        var stream = inbound.Latest(peer);
        var ended = stream is null;
        stream ??= inbound.LastEnded(peer);
        if (stream is null)
        {
            return null;
        }

        // An open stream is connected while it beats; one that ended is suspect at once (its connection went), down after the down time.
        var silence = time.GetUtcNow() - (stream.LastBeatAt ?? stream.OpenedAt);
        var state = silence >= options.DownAfter ? LinkState.Down : ended || silence >= options.SuspectAfter ? LinkState.Suspect : LinkState.Connected;
        return new PeerLinkStatus(peer, state, LinkDirection.Inbound, null, stream.LastBeatAt, stream.OpenedAt, null, null);
    }
}
