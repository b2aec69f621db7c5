using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Node.Federation.Discovery.Dns;
using Node.Federation.Discovery.Internal;

namespace Node.Federation.Discovery;

/// <summary>
/// mDNS service discovery for <c>_sovereign._tcp.local</c> (RFC 6762/6763): a responder that
/// probes, announces, answers and says goodbye for this node, and a browser that finds the others,
/// on every interface of an <see cref="IMdnsTransport"/>. Thread-safe; time comes from the
/// <see cref="TimeProvider"/>, so a fake one drives it in tests.
/// </summary>
/// <remarks>
/// One lock guards every state machine; packets and timer ticks take it, do their work (sends
/// included: they never block) and release it before <see cref="Changed"/> is raised.
/// </remarks>
public sealed partial class MdnsDiscovery : IMdnsTransportSink, IDisposable
{
    // RFC 6762 §8.1: after 15 conflicts within 10 s, wait 5 s before probing again.
    private const int ConflictBurst = 15;
    private const long ConflictWindow = 10_000;
    private const int ConflictBackoff = 5000;

    private readonly IMdnsTransport _transport;
    private readonly TimeProvider _time;
    private readonly ILogger<MdnsDiscovery> _logger;
    private readonly Random _random;
    private readonly Lock _gate = new();
    private readonly Dictionary<int, Link> _links = [];
    private readonly Dictionary<DnsName, DiscoveredService> _reported = [];
    private readonly Queue<long> _conflictTimes = new();
    private readonly ITimer _timer;
    private ServiceProfile? _profile;
    private int _attempt = 1;
    private bool _started;
    private bool _stopped;
    private long _malformed;

    /// <summary>Discovery over <paramref name="transport"/>; nothing is sent until <see cref="Start"/>.</summary>
    /// <param name="transport">The link.</param>
    /// <param name="time">The clock and timers.</param>
    /// <param name="logger">Where found/lost peers and conflicts are logged.</param>
    /// <param name="random">Random delays (probe start, shared answers); a seeded one in tests.</param>
    public MdnsDiscovery(IMdnsTransport transport, TimeProvider time, ILogger<MdnsDiscovery> logger, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _transport = transport;
        _time = time;
        _logger = logger;
        _random = random ?? new Random();
        _timer = time.CreateTimer(_ => OnTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>A service was found, changed or lost. Raised outside the discovery's lock.</summary>
    public event Action<DiscoveryChange>? Changed;

    /// <summary>The services resolved now (not this node's own).</summary>
    public IReadOnlyList<DiscoveredService> Services
    {
        get
        {
            lock (_gate)
            {
                return Resolved();
            }
        }
    }

    /// <summary>The instance name claimed now, or null when not announcing.</summary>
    public string? InstanceName
    {
        get
        {
            lock (_gate)
            {
                return _profile?.InstanceLabel(_attempt);
            }
        }
    }

    /// <summary>Multicast datagrams this discovery has sent, over all interfaces (the steady-state rate's numerator).</summary>
    public long MulticastsSent
    {
        get
        {
            lock (_gate)
            {
                return _links.Values.Sum(l => l.Output.Multicasts);
            }
        }
    }

    /// <summary>
    /// Starts browsing and, with a <paramref name="profile"/>, announcing it (probe, then announce).
    /// Without one the node only browses.
    /// </summary>
    public void Start(ServiceProfile? profile)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopped, this);
            if (_started)
            {
                throw new InvalidOperationException("Discovery has already started.");
            }

            _started = true;
            _profile = profile;
            _transport.Start(this);
            Reconcile(_transport.Interfaces, Now);
            Arm();
        }
    }

    /// <summary>Announces a changed profile (a new manifest hash, port); a changed node id re-probes.</summary>
    public void UpdateProfile(ServiceProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        lock (_gate)
        {
            var previous = _profile;
            _profile = profile;
            if (!_started || _stopped)
            {
                return;
            }

            var now = Now;
            foreach (var link in _links.Values)
            {
                var records = RecordsFor(link.Interface);
                if (previous is null || previous.NodeId != profile.NodeId)
                {
                    link.Responder.Goodbye();
                    link.Responder.Probe(records, now, ProbeDelay());
                }
                else
                {
                    link.Responder.Update(records, now);
                }
            }

            Arm();
        }
    }

    /// <summary>Queries for the service type now on every interface (<c>nodectl federation discover</c>).</summary>
    public void QueryNow()
    {
        lock (_gate)
        {
            if (!_started || _stopped)
            {
                return;
            }

            var now = Now;
            foreach (var link in _links.Values)
            {
                link.Browser.QueryNow(now, OwnPointers(link));
            }

            Arm();
        }
    }

    /// <summary>Where discovery stands.</summary>
    public DiscoveryDiagnosis Diagnose()
    {
        var statistics = _transport.Statistics();
        lock (_gate)
        {
            var links = new List<DiscoveryLinkDiagnosis>();
            foreach (var link in statistics)
            {
                var state = _links.TryGetValue(link.Index, out var known) ? StateName(known.Responder.State) : "browsing";
                links.Add(new DiscoveryLinkDiagnosis(link, state, known?.Responder.Conflicts ?? 0));
            }

            return new DiscoveryDiagnosis(_profile?.Instance(_attempt).ToString(), _profile?.Host(_attempt).ToString(), links, Resolved());
        }
    }

    /// <summary>Datagrams that did not parse as DNS messages.</summary>
    public long MalformedPackets => Interlocked.Read(ref _malformed);

    /// <summary>Sends goodbyes (TTL 0) for everything announced and stops; idempotent.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
            foreach (var link in _links.Values)
            {
                link.Responder.Goodbye();
                link.Browser.Stop();
            }

            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    /// <inheritdoc />
    public void OnPacket(in MdnsPacket packet)
    {
        if (!DnsMessage.TryParse(packet.Data.Span, out var message, out var error))
        {
            if (Interlocked.Increment(ref _malformed) <= 10)
            {
                LogMalformed(_logger, packet.Source, error);
            }

            return;
        }

        // RFC 6762 §18.3, §18.11: other opcodes and response codes are ignored; §6: responses from a port other than 5353 too.
        if (message.Opcode != 0 || message.ResponseCode != 0 || (message.IsResponse && packet.Source.Port != Responder.MdnsPort))
        {
            return;
        }

        var changes = new List<DiscoveryChange>();
        lock (_gate)
        {
            if (!_started || _stopped || !_links.TryGetValue(packet.InterfaceIndex, out var link))
            {
                return;
            }

            var now = Now;
            var conflicts = link.Responder.Conflicts;
            if (link.Responder.Receive(message, packet.Source, now))
            {
                Rename(link, now);
            }
            else if (link.Responder.Conflicts > conflicts && _profile is not null)
            {
                // Contested but kept for now: a lost tie-break (probe again in 1 s) or a conflicting answer after announcing (probe again).
                LogContested(_logger, _profile.InstanceLabel(_attempt), link.Interface.Name, link.Responder.Conflicts);
            }

            if (message.IsResponse)
            {
                link.Browser.Receive(message, now, changes);
            }

            changes = Merge(changes);
            Arm();
        }

        Raise(changes);
    }

    /// <inheritdoc />
    public void OnInterfacesChanged(IReadOnlyList<MdnsInterface> interfaces)
    {
        ArgumentNullException.ThrowIfNull(interfaces);
        var changes = new List<DiscoveryChange>();
        lock (_gate)
        {
            if (!_started || _stopped)
            {
                return;
            }

            changes.AddRange(Reconcile(interfaces, Now));
            changes = Merge(changes);
            Arm();
        }

        Raise(changes);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Stop();
        _timer.Dispose();
    }

    private long Now => _time.GetTimestamp() * 1000 / _time.TimestampFrequency;

    // Links for new interfaces start probing and browsing; gone ones drop their services; changed addresses re-announce.
    private List<DiscoveryChange> Reconcile(IReadOnlyList<MdnsInterface> interfaces, long now)
    {
        var changes = new List<DiscoveryChange>();
        foreach (var gone in _links.Keys.Where(index => interfaces.All(i => i.Index != index)).ToList())
        {
            changes.AddRange(_links[gone].Browser.Services.Select(s => new DiscoveryChange(DiscoveryChangeKind.Lost, s, LossReason.InterfaceGone)));
            _links.Remove(gone);
        }

        foreach (var networkInterface in interfaces)
        {
            if (_links.TryGetValue(networkInterface.Index, out var link))
            {
                if (!link.Interface.IsSameAs(networkInterface))
                {
                    link.Interface = networkInterface;
                    if (_profile is not null)
                    {
                        link.Responder.Update(RecordsFor(networkInterface), now);
                    }
                }

                continue;
            }

            var output = new LinkOutput(_transport, networkInterface.Index);
            link = new Link(networkInterface, output, new Responder(output, _random, IsOurs),
                new Browser(output, _random, _time, networkInterface.Index, IsOurs));
            _links.Add(networkInterface.Index, link);
            link.Browser.Start(now);
            if (_profile is not null)
            {
                link.Responder.Probe(RecordsFor(networkInterface), now, ProbeDelay());
            }
        }

        return changes;
    }

    // RFC 6762 §9: the names are taken; claim "<id> (n)" and "sovereign-<id>-n" everywhere and probe again.
    private void Rename(Link where, long now)
    {
        Debug.Assert(_profile is not null, "only a responder with a profile sees conflicts");
        var taken = _profile.InstanceLabel(_attempt);
        _attempt++;
        _conflictTimes.Enqueue(now);
        while (_conflictTimes.Count > 0 && now - _conflictTimes.Peek() > ConflictWindow)
        {
            _conflictTimes.Dequeue();
        }

        var delay = _conflictTimes.Count >= ConflictBurst ? ConflictBackoff : ProbeDelay();
        LogConflict(_logger, taken, where.Interface.Name, _profile.InstanceLabel(_attempt));
        foreach (var link in _links.Values)
        {
            link.Responder.Probe(RecordsFor(link.Interface), now, delay);
        }
    }

    private void OnTimer()
    {
        var changes = new List<DiscoveryChange>();
        lock (_gate)
        {
            if (!_started || _stopped)
            {
                return;
            }

            var now = Now;
            foreach (var link in _links.Values)
            {
                var before = link.Responder.State;
                link.Responder.Tick(now);
                // Logged with the first announcement: from then on peers can list the node.
                if (before == ResponderState.Probing && link.Responder.State != ResponderState.Probing && link.Responder.Records is { } records)
                {
                    LogAnnounced(_logger, records.Instance, records.Host, link.Interface.Name);
                }

                link.Browser.Tick(now, OwnPointers(link), changes);
            }

            changes = Merge(changes);
            Arm();
        }

        Raise(changes);
    }

    private void Arm()
    {
        if (_stopped)
        {
            return;
        }

        var due = _links.Count == 0 ? long.MaxValue : _links.Values.Min(l => l.NextDue);
        _timer.Change(due == long.MaxValue ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(Math.Max(0, due - Now)), Timeout.InfiniteTimeSpan);
    }

    // One view per instance over every interface: a peer seen on eth0 and wlan0 is found once, with
    // the addresses of both, and lost only when no interface sees it any more. Our own is left out.
    private List<DiscoveryChange> Merge(List<DiscoveryChange> linkChanges)
    {
        var merged = new List<DiscoveryChange>();
        foreach (var instance in linkChanges.Select(c => c.Service.Instance).Distinct())
        {
            var views = _links.Values.SelectMany(l => l.Browser.Services).Where(s => s.Instance.Equals(instance)).ToList();
            var known = _reported.TryGetValue(instance, out var before);
            if (views.Count == 0)
            {
                if (known)
                {
                    _reported.Remove(instance);
                    var reason = linkChanges.LastOrDefault(c => c.Kind == DiscoveryChangeKind.Lost && c.Service.Instance.Equals(instance)).Reason;
                    merged.Add(new DiscoveryChange(DiscoveryChangeKind.Lost, before!, reason == LossReason.None ? LossReason.Expired : reason));
                }

                continue;
            }

            var now = views[0] with
            {
                Addresses = views.SelectMany(v => v.Addresses).Distinct().ToArray(),
                LastSeen = views.Max(v => v.LastSeen),
            };
            if (!known)
            {
                merged.Add(new DiscoveryChange(DiscoveryChangeKind.Found, now));
            }
            else if (!before!.IsSameAs(now))
            {
                merged.Add(new DiscoveryChange(DiscoveryChangeKind.Changed, now));
            }

            _reported[instance] = now;
        }

        merged.RemoveAll(c => IsOwn(c.Service));
        return merged;
    }

    private void Raise(List<DiscoveryChange> changes)
    {
        foreach (var change in changes)
        {
            try
            {
                Changed?.Invoke(change);
            }
            catch (Exception ex)
            {
                LogListenerFailed(_logger, change.Service.Instance, ex);
            }
        }
    }

    // The records of the names claimed now, with this interface's addresses (called with a profile only).
    private ServiceRecords RecordsFor(MdnsInterface networkInterface) => new(_profile!, _attempt, networkInterface.Addresses);

    // RFC 6762 §8.1: a random 0–250 ms before the first probe.
    private int ProbeDelay() => _random.Next(0, Responder.ProbeInterval + 1);

    // The services every interface has resolved, our own left out.
    private DiscoveredService[] Resolved() => [.. _links.Values.SelectMany(l => l.Browser.Services).Where(s => !IsOwn(s))];

    private static IReadOnlyList<DnsRecord> OwnPointers(Link link) =>
        link.Responder.State is ResponderState.Announcing or ResponderState.Announced && link.Responder.Records is { } records ? [records.Pointer] : [];

    // Our own announcements come back to our browser (multicast loopback, other interfaces): they are not peers.
    private bool IsOwn(DiscoveredService service) =>
        _profile is not null && service.InstanceLabel == _profile.InstanceLabel(_attempt);

    // A record is ours when any interface's responder holds it: our host on two links of one LAN is not a conflict.
    private bool IsOurs(DnsRecord record) =>
        _links.Values.Any(l => l.Responder.Records is { } records && records.All.Any(record.IsSameRecord));

    private static string StateName(ResponderState state) => state switch
    {
        ResponderState.Probing => "probing",
        ResponderState.Announcing => "announcing",
        ResponderState.Announced => "announced",
        _ => "browsing",
    };

    [LoggerMessage(Level = LogLevel.Debug, Message = "mDNS datagram from {Sender} ignored: {Problem}.")]
    private static partial void LogMalformed(ILogger logger, System.Net.IPEndPoint sender, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "mDNS name conflict: {Taken} is held by another host on {Interface}; claiming {Renamed} instead.")]
    private static partial void LogConflict(ILogger logger, string taken, string @interface, string renamed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "mDNS name {Name} contested on {Interface} ({Conflicts} conflicts there since start): another host answers or probes for it; probing again.")]
    private static partial void LogContested(ILogger logger, string name, string @interface, int conflicts);

    [LoggerMessage(Level = LogLevel.Information, Message = "mDNS announced {Instance} at {Host} on {Interface}.")]
    private static partial void LogAnnounced(ILogger logger, DnsName instance, DnsName host, string @interface);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A discovery listener failed on {Instance}.")]
    private static partial void LogListenerFailed(ILogger logger, DnsName instance, Exception exception);
}
