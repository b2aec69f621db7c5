using System.Globalization;
using Node.Cli.Output;
using Node.Protocol.Api;

namespace Node.Cli.Commands;

/// <summary>How a round asked for by <c>federation sync --wait</c> ended (or why none did).</summary>
/// <param name="NodeId">The peer.</param>
/// <param name="Ok">Whether it ended "ok".</param>
/// <param name="Result">"ok", or why it failed or never ran.</param>
/// <param name="Kind">"catch-up" or "reconciliation"; empty when no round ran.</param>
/// <param name="StartedAt">When it started, Unix ms; 0 when it never did.</param>
/// <param name="EndedAt">When it ended, Unix ms; 0 when it never did.</param>
/// <param name="Received">Packets received from the peer while waiting.</param>
internal sealed record RoundEnd(string NodeId, bool Ok, string Result, string Kind, long StartedAt, long EndedAt, long Received)
{
    /// <summary>The line that says how it went.</summary>
    public string Describe() => Ok
        ? string.Create(CultureInfo.InvariantCulture,
            $"{NodeId}: {Kind} ok, {Received} packets received in {Display.Duration(TimeSpan.FromMilliseconds(EndedAt - StartedAt))}")
        : $"sync with {NodeId} failed: {Result}";
}

/// <summary>
/// Follows the rounds <c>federation sync --wait</c> asked for, from the status the node reports: a
/// peer's round has ended once the node shows it idle after a round that started at or after the
/// request (an earlier round still under way when asked does not count). Not thread-safe.
/// </summary>
internal sealed class SyncWait
{
    private readonly long _requestedAt;
    private readonly IReadOnlyList<string> _asked;
    private readonly Dictionary<string, long> _before;
    private readonly Dictionary<string, RoundEnd> _ended = new(StringComparer.Ordinal);

    /// <summary>Follows the peers of <paramref name="reply"/>; <paramref name="before"/> is the status read just before asking.</summary>
    public SyncWait(SyncReply reply, SyncStatus before)
    {
        ArgumentNullException.ThrowIfNull(reply);
        ArgumentNullException.ThrowIfNull(before);
        _requestedAt = reply.RequestedAt;
        _asked = [.. reply.NodeIds];
        _before = before.Peers.GroupBy(p => p.NodeId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().PacketsReceived, StringComparer.Ordinal);
    }

    /// <summary>Whether every round asked for has ended.</summary>
    public bool Done => _ended.Count == _asked.Count;

    /// <summary>Every round's end so far, in the order asked.</summary>
    public IReadOnlyList<RoundEnd> Rounds => [.. _asked.Where(_ended.ContainsKey).Select(id => _ended[id])];

    /// <summary>Reads <paramref name="now"/>: the rounds that have ended since the last reading.</summary>
    public IReadOnlyList<RoundEnd> Take(SyncStatus now)
    {
        ArgumentNullException.ThrowIfNull(now);
        var ended = new List<RoundEnd>();
        foreach (var id in _asked.Where(id => !_ended.ContainsKey(id)))
        {
            if (Find(now, id) is not { } peer)
            {
                continue;
            }

            RoundEnd? end = null;
            if (Started(peer) && peer.Phase == "idle" && peer.LastRoundEndedAt >= peer.RoundStartedAt)
            {
                end = new RoundEnd(id, peer.LastRoundResult == "ok", peer.LastRoundResult.Length > 0 ? peer.LastRoundResult : "ended without a result",
                    peer.LastRoundKind, peer.RoundStartedAt, peer.LastRoundEndedAt, Received(peer));
            }
            else if (!Started(peer) && peer.Link != "connected")
            {
                // The node drops a request whose peer is no longer linked: no round will come.
                end = new RoundEnd(id, false, $"not linked now (link {(peer.Link.Length > 0 ? peer.Link : "never")}): no round could run", "", 0, 0, 0);
            }

            if (end is not null)
            {
                _ended[id] = end;
                ended.Add(end);
            }
        }

        return ended;
    }

    /// <summary>Ends the wait after <paramref name="waited"/>: the rounds still under way, as not ended.</summary>
    public IReadOnlyList<RoundEnd> GiveUp(TimeSpan waited, SyncStatus? now)
    {
        var late = _asked.Where(id => !_ended.ContainsKey(id))
            .Select(id => new RoundEnd(id, false, $"no round ended within {Display.Duration(waited)} (it may still be running: see nodectl federation status)", "",
                0, 0, now is not null && Find(now, id) is { } peer ? Received(peer) : 0))
            .ToList();
        late.ForEach(end => _ended[end.NodeId] = end);
        return late;
    }

    /// <summary>The progress line: how many rounds ended, and the first one still under way.</summary>
    public string Progress(SyncStatus now)
    {
        ArgumentNullException.ThrowIfNull(now);
        var pending = _asked.Where(id => !_ended.ContainsKey(id)).ToList();
        if (pending.Count == 0)
        {
            return "";
        }

        var peer = Find(now, pending[0]);
        var line = SyncText.Progress(pending[0], peer, peer is not null && Started(peer), peer is null ? 0 : Received(peer));
        return string.Create(CultureInfo.InvariantCulture, $"sync: {_ended.Count} of {_asked.Count} ended; {line}") +
            (pending.Count > 1 ? string.Create(CultureInfo.InvariantCulture, $" (+{pending.Count - 1} more)") : "");
    }

    private static PeerSync? Find(SyncStatus status, string id) => status.Peers.FirstOrDefault(p => p.NodeId == id);

    private bool Started(PeerSync peer) => peer.RoundStartedAt >= _requestedAt;

    private long Received(PeerSync peer) => Math.Max(0, peer.PacketsReceived - _before.GetValueOrDefault(peer.NodeId));
}
