using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Node.Daemon.CommandLine;
using Node.Daemon.Reasoning;
using Node.Federation.Identity;
using Node.Federation.Link;
using Node.Federation.Peers;
using Node.Federation.Sync;
using Node.Storage;

namespace Node.Daemon.Metrics;

/// <summary>
/// The node's metrics (docs/operator-manual.md, "Metrics"): one <see cref="Meter"/>,
/// <see cref="MeterName"/>, of observable instruments only. Each reads, when a collector asks, the
/// counts the subsystems keep anyway (the sync book, the peer registry and links, the reasoning
/// host, the store): nothing is counted twice, and nothing is read while nobody listens.
/// </summary>
internal sealed partial class NodeMetrics : IDisposable
{
    /// <summary>The meter's name (<c>dotnet-counters monitor --counters Sovereign.Node</c>).</summary>
    public const string MeterName = "Sovereign.Node";

    /// <summary>The store's figures are read at most this often (a scrape reads several of them).</summary>
    public static readonly TimeSpan StoreReadInterval = TimeSpan.FromSeconds(1);

    private static readonly KeyValuePair<string, object?> Received = new("direction", "received");
    private static readonly KeyValuePair<string, object?> Sent = new("direction", "sent");

    private readonly Meter _meter;
    private readonly PeerRegistry _peers;
    private readonly PeerLinks _links;
    private readonly SyncBook _sync;
    private readonly ReasoningHost _reasoning;
    private readonly NodeStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _storeGate = new();
    private StoreFigures? _storeFigures;
    private long _storeReadAt;
    private int _failuresLogged;

    public NodeMetrics(PeerRegistry peers, PeerLinks links, SyncBook sync, ReasoningHost reasoning, NodeStore store, TimeProvider time,
        ILogger<NodeMetrics> logger)
    {
        _peers = peers;
        _links = links;
        _sync = sync;
        _reasoning = reasoning;
        _store = store;
        _time = time;
        _logger = logger;
        _meter = new Meter(MeterName, HelpText.Version);

        _meter.CreateObservableGauge("sovereign.peers", ObservePeers, "{peer}",
            "Peers in the registry, by trust tier and link state.");

        _meter.CreateObservableCounter("sovereign.sync.rounds", () => Sum(s => s.Rounds), "{round}",
            "Sync rounds ended (ok or failed) with every peer since the node started.");
        _meter.CreateObservableCounter("sovereign.sync.packets", () => Both(s => s.PacketsReceived, s => s.PacketsSent), "{packet}",
            "Packets taken from peers (received) and served to them (sent) by sync since the node started.");
        _meter.CreateObservableCounter("sovereign.sync.transferred", () => Both(s => s.BytesReceived, s => s.BytesSent), "By",
            "Envelope bytes of the packets taken from peers (received) and served to them (sent) by sync since the node started.");
        _meter.CreateObservableCounter("sovereign.sync.refused", () => Sum(s => s.Refused), "{packet}",
            "Packets from peers that sync refused (bad signature, retracted…) since the node started.");

        _meter.CreateObservableGauge("sovereign.store.packets", () => Store(f => f.Packets), "{packet}",
            "Packets in the store.");
        _meter.CreateObservableGauge("sovereign.store.size", () => Store(f => f.Bytes), "By",
            "Bytes of the store's database file and its write-ahead log.");
        _meter.CreateObservableGauge("sovereign.event_log.head", () => Store(f => f.EventHead), "{event}",
            "Sequence number of the newest event in the event log (0 when empty).");

        _meter.CreateObservableCounter("sovereign.reasoning.cycles", () => _reasoning.Cycles, "{cycle}",
            "Observations the reasoning pipeline has run since the node started.");
        _meter.CreateObservableCounter("sovereign.reasoning.conclusions", () => _reasoning.Conclusions, "{conclusion}",
            "Conclusions with a claim since the node started.");
        _meter.CreateObservableCounter("sovereign.reasoning.decisions", () => _reasoning.Decisions, "{decision}",
            "Decisions recorded (approved automatically or waiting for a guardian) since the node started.");
    }

    /// <summary>The meter (tests listen to it).</summary>
    public Meter Meter => _meter;

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<int>> ObservePeers()
    {
        IReadOnlyList<PeerEntry> entries;
        try
        {
            entries = _peers.List();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogReadFailed(ex, "peers");
            return [];
        }

        var counts = new Dictionary<(string Tier, string State), int>();
        foreach (var entry in entries)
        {
            var state = NodeId.TryParse(entry.NodeId, out var id, out _) ? LinkStates.Name(_links.Of(id).State) : LinkStates.Name(LinkState.Never);
            var key = (PeerRegistry.TierName(entry.Tier), state);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        return [.. counts.Select(c => new Measurement<int>(c.Value, new("tier", c.Key.Tier), new("link_state", c.Key.State)))];
    }

    private long Sum(Func<SyncSnapshot, long> figure) => _sync.All().Sum(figure);

    private Measurement<long>[] Both(Func<SyncSnapshot, long> received, Func<SyncSnapshot, long> sent)
    {
        var all = _sync.All();
        return [new(all.Sum(received), Received), new(all.Sum(sent), Sent)];
    }

    private IEnumerable<Measurement<long>> Store(Func<StoreFigures, long> figure) =>
        ReadStore() is { } figures ? [new(figure(figures))] : [];

    private StoreFigures? ReadStore()
    {
        lock (_storeGate)
        {
            if (_storeFigures is not null && _time.GetElapsedTime(_storeReadAt) < StoreReadInterval)
            {
                return _storeFigures;
            }

            try
            {
                using var reader = _store.OpenReader();
                static long Size(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;
                _storeFigures = new StoreFigures(reader.Packets.Count(), reader.Events.HeadSeq(), Size(_store.Path) + Size(_store.Path + "-wal"));
                _storeReadAt = _time.GetTimestamp();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The store is closing, or failed (it says why itself): no figure rather than a wrong one.
                LogReadFailed(ex, "store");
                _storeFigures = null;
            }

            return _storeFigures;
        }
    }

    private void LogReadFailed(Exception ex, string what)
    {
        // A scrape every few seconds of a store that fails must not fill the log: the first few only.
        if (Interlocked.Increment(ref _failuresLogged) <= 3)
        {
            LogReadFailed(_logger, what, ex);
        }
    }

    private sealed record StoreFigures(long Packets, long EventHead, long Bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Metrics: the {What} could not be read; their figures are left out of this collection.")]
    private static partial void LogReadFailed(ILogger logger, string what, Exception exception);
}
