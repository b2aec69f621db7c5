// The responder's state and schedule: what is due when (Tick), new records, goodbyes, and incoming messages handed on.
using System.Net;
using Node.Federation.Discovery.Dns;

namespace Node.Federation.Discovery.Internal;

/// <summary>
/// The responder of one interface (RFC 6762 §6–10): probes the instance and host names, announces,
/// answers queries (known-answer suppression, 20–120 ms delay for shared records, at most one
/// multicast of a record per second, unicast replies to QU and legacy queries), defends its names,
/// and says goodbye. Not thread-safe: the discovery calls it under its lock; times are milliseconds
/// of a monotonic clock.
/// </summary>
internal sealed partial class Responder(LinkOutput output, Random random, Func<DnsRecord, bool> isOurs)
{
    public const int MdnsPort = 5353;

    private readonly Dictionary<DnsRecord, long> _lastMulticast = [];
    private readonly List<DnsRecord> _pending = [];

    // What went out at full TTL with no goodbye since: peers may hold it in their caches.
    private readonly List<DnsRecord> _announced = [];
    private ServiceRecords? _records;
    private int _probesSent;
    private int _announcesSent;
    private long _nextAt = long.MaxValue;
    private long _pendingAt = long.MaxValue;
    private bool _pendingDefends;

    public ResponderState State { get; private set; }

    public ServiceRecords? Records => _records;

    /// <summary>Name conflicts seen on this interface.</summary>
    public int Conflicts { get; private set; }

    /// <summary>When <see cref="Tick"/> next has work.</summary>
    public long NextDue => Math.Min(Math.Min(_nextAt, _pendingAt), _heldAt);

    /// <summary>
    /// New records for the same names (an address or the TXT changed): goodbye for what went, then
    /// announce again so caches flush the old (RFC 6762 §8.4). While probing, the probe goes on with the
    /// new set (what went gets its goodbye when the new set is announced).
    /// </summary>
    public void Update(ServiceRecords records, long now)
    {
        var previous = _records;
        _records = records;
        if (previous is null || State is ResponderState.Idle or ResponderState.Probing)
        {
            return;
        }

        Retract(records);
        State = ResponderState.Announcing;
        _announcesSent = 0;
        _nextAt = now;
    }

    /// <summary>Sends goodbyes (TTL 0) for everything announced and goes idle.</summary>
    public void Goodbye()
    {
        Retract(null);
        State = ResponderState.Idle;
        _nextAt = _pendingAt = long.MaxValue;
        _pending.Clear();
        DropHeld();
    }

    // RFC 6762 §10.1: a goodbye for each record announced that is not in keep (all of them when null), so
    // that peers drop it in a second instead of holding it for its TTL: the old name's records after a
    // §9 rename, an address that went, everything at stop. A renamed record that another host holds too
    // (a clone with our identity, the same TXT) is announced again by that host on hearing it (§6.6).
    private void Retract(ServiceRecords? keep)
    {
        var gone = _announced.Where(old => keep is null || !keep.All.Any(old.IsSameRecord)).ToArray();
        if (gone.Length == 0)
        {
            return;
        }

        _announced.RemoveAll(gone.Contains);
        output.Multicast(DnsMessage.Response(gone.Select(r => r.WithTtl(0)).ToArray()));
    }

    /// <summary>Does what is due at <paramref name="now"/>: a probe, an announcement, delayed answers.</summary>
    public void Tick(long now)
    {
        if (_records is null)
        {
            return;
        }

        if (now >= _nextAt)
        {
            switch (State)
            {
                case ResponderState.Probing when _probesSent < ProbeCount:
                    // The first probe asks for a unicast reply (RFC 6762 §8.1); the proposed records go in the authority section.
                    var first = _probesSent == 0;
                    var questions = new[] { new DnsQuestion(_records.Instance, DnsRecordType.Any, first), new DnsQuestion(_records.Host, DnsRecordType.Any, first) };
                    output.Multicast(DnsMessage.Query(questions, authorities: _records.Unique));
                    _probesSent++;
                    _nextAt = now + ProbeIntervalMs;
                    break;
                case ResponderState.Probing:
                    State = ResponderState.Announcing;
                    _nextAt = now;
                    Announce(now);
                    break;
                case ResponderState.Announcing:
                    Announce(now);
                    break;
                default:
                    _nextAt = long.MaxValue;
                    break;
            }
        }

        if (now >= _heldAt)
        {
            AnswerHeld(now);
        }

        if (now >= _pendingAt)
        {
            FlushPending(now);
        }
    }

    /// <summary>
    /// Handles a message; true when it shows the names taken while probing (the caller renames).
    /// </summary>
    public bool Receive(DnsMessage message, IPEndPoint source, long now)
    {
        if (_records is null || State == ResponderState.Idle)
        {
            return false;
        }

        return message.IsResponse ? ReceiveResponse(message, now) : ReceiveQuery(message, source, now);
    }
}
