using System.Collections.Concurrent;
using Node.Federation.Identity;
using Node.Protocol.Peer;

namespace Node.Federation.Link.Server;

/// <summary>A link a peer dialled to this node, as its Heartbeat stream shows it.</summary>
/// <param name="NodeId">The peer.</param>
/// <param name="OpenedAt">When its stream opened.</param>
/// <param name="LastBeatAt">When its last beat arrived; null before the first.</param>
/// <param name="Beats">Beats received on the stream.</param>
public sealed record InboundLinkStatus(NodeId NodeId, DateTimeOffset OpenedAt, DateTimeOffset? LastBeatAt, long Beats);

/// <summary>The Heartbeat streams peers hold open to this node now, one entry per stream, found by peer. Thread-safe.</summary>
public sealed class InboundLinks(TimeProvider time)
{
    // By peer: a link's dialler looks up its peer every second, so a lookup must not walk every link.
    private readonly Dictionary<NodeId, List<InboundLink>> _open = [];
    private readonly ConcurrentDictionary<NodeId, InboundLinkStatus> _ended = new();
    private readonly Dictionary<NodeId, TaskCompletionSource> _endWaiters = [];

    /// <summary>The open streams, newest beat first.</summary>
    public IReadOnlyList<InboundLinkStatus> List()
    {
        lock (_open)
        {
            return [.. _open.Values.SelectMany(l => l).Select(l => l.Status).OrderByDescending(s => s.LastBeatAt ?? s.OpenedAt)];
        }
    }

    /// <summary>The open stream of <paramref name="peer"/> that beat last (or opened last, before any beat); null when none is open.</summary>
    public InboundLinkStatus? Latest(NodeId peer)
    {
        lock (_open)
        {
            if (!_open.TryGetValue(peer, out var streams))
            {
                return null;
            }

            InboundLinkStatus? latest = null;
            foreach (var stream in streams)
            {
                var status = stream.Status;
                if (latest is null || (status.LastBeatAt ?? status.OpenedAt) > (latest.LastBeatAt ?? latest.OpenedAt))
                {
                    latest = status;
                }
            }

            return latest;
        }
    }

    /// <summary>
    /// The last stream <paramref name="peer"/> held open to this node, once it ended: when it last beat
    /// (a peer gone away is suspect, then down, by that time). One entry per peer that was admitted
    /// to Heartbeat (a tier of external or above here), replaced by its next stream's.
    /// </summary>
    public InboundLinkStatus? LastEnded(NodeId peer) => _ended.GetValueOrDefault(peer);

    /// <summary>
    /// Completes when a stream of <paramref name="peer"/> ends, at once when none is open. One task per
    /// peer, shared by whoever waits, so waiting again costs nothing.
    /// </summary>
    public Task WhenEnded(NodeId peer)
    {
        lock (_open)
        {
            if (!_open.ContainsKey(peer))
            {
                return Task.CompletedTask;
            }

            if (!_endWaiters.TryGetValue(peer, out var waiter))
            {
                _endWaiters[peer] = waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            return waiter.Task;
        }
    }

    /// <summary>Registers a stream from <paramref name="peer"/>; disposing the handle ends the entry.</summary>
    public InboundLink Open(NodeId peer)
    {
        var link = new InboundLink(peer, time, Close);
        lock (_open)
        {
            if (!_open.TryGetValue(peer, out var streams))
            {
                _open[peer] = streams = [];
            }

            streams.Add(link);
        }

        return link;
    }

    private void Close(InboundLink link)
    {
        lock (_open)
        {
            if (!_open.TryGetValue(link.Peer, out var streams) || !streams.Remove(link))
            {
                return;
            }

            if (streams.Count == 0)
            {
                _open.Remove(link.Peer);
            }

            if (link.Status is { LastBeatAt: not null } last)
            {
                _ended[link.Peer] = last;
            }

            if (_endWaiters.Remove(link.Peer, out var waiter))
            {
                waiter.TrySetResult();
            }
        }
    }
}

/// <summary>One open Heartbeat stream from a peer.</summary>
public sealed class InboundLink : IDisposable
{
    private readonly TimeProvider _time;
    private readonly Action<InboundLink> _closed;
    private readonly DateTimeOffset _opened;
    private long _beats;
    private long _lastBeatTicks;
    private string? _sentManifest;

    internal InboundLink(NodeId peer, TimeProvider time, Action<InboundLink> closed)
    {
        Peer = peer;
        _time = time;
        _closed = closed;
        _opened = time.GetUtcNow();
    }

    /// <summary>The peer that dialled.</summary>
    public NodeId Peer { get; }

    /// <summary>What the stream shows now.</summary>
    public InboundLinkStatus Status
    {
        get
        {
            var last = Interlocked.Read(ref _lastBeatTicks);
            return new InboundLinkStatus(Peer, _opened, last == 0 ? null : new DateTimeOffset(last, TimeSpan.Zero), Interlocked.Read(ref _beats));
        }
    }

    /// <summary>Notes a beat from the peer.</summary>
    public void Heard(Beat beat)
    {
        ArgumentNullException.ThrowIfNull(beat);
        Interlocked.Increment(ref _beats);
        Interlocked.Exchange(ref _lastBeatTicks, _time.GetUtcNow().UtcTicks);
    }

    /// <summary>Whether <paramref name="current"/> is not the manifest last announced on this stream (and notes it as announced).</summary>
    public bool ManifestChanged(IssuedManifest? current)
    {
        var hash = current?.Hash;
        return hash is not null && !string.Equals(Interlocked.Exchange(ref _sentManifest, hash), hash, StringComparison.Ordinal);
    }

    /// <inheritdoc />
    public void Dispose() => _closed(this);
}
