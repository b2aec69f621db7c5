// The discovery's state and its public surface: start, profile updates, queries, diagnosis and stop.
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
    private readonly IMdnsTransport _transport;
    private readonly TimeProvider _time;
    private readonly ILogger<MdnsDiscovery> _logger;
    private readonly Random _random;
    private readonly Lock _gate = new();
    private readonly Dictionary<int, InterfaceLink> _links = [];
    private readonly Dictionary<DnsName, DiscoveredService> _reported = [];
    private readonly ITimer _timer;
    private ServiceProfile? _profile;
    private int _attempt = 1;
    private bool _started;
    private bool _stopped;
    private long _malformed;
    private long _skipped;

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
                    link.Responder.Probe(records, now, ProbeDelayMs());
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

    /// <summary>Records (and questions) left out of datagrams that were otherwise used: unreadable, but their bytes could be stepped over.</summary>
    public long SkippedRecords => Interlocked.Read(ref _skipped);

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
    public void Dispose()
    {
        Stop();
        _timer.Dispose();
    }

    // Milliseconds of the monotonic clock: the time base of every link's responder and browser.
    private long Now => _time.GetTimestamp() * 1000 / _time.TimestampFrequency;

    private static string StateName(ResponderState state) => state switch
    {
        ResponderState.Probing => "probing",
        ResponderState.Announcing => "announcing",
        ResponderState.Announced => "announced",
        _ => "browsing",
    };
}
