// The names this node claims: their records per interface, the probe delay, and renaming after a conflict (RFC 6762 §8.1, §9).
using System.Diagnostics;
using Node.Federation.Discovery.Dns;
using Node.Federation.Discovery.Internal;

namespace Node.Federation.Discovery;

public sealed partial class MdnsDiscovery
{
    // RFC 6762 §8.1: after 15 conflicts within 10 s, wait 5 s before probing again.
    private const int ConflictBurst = 15;
    private const long ConflictWindowMs = 10_000;
    private const int ConflictBackoffMs = 5000;

    private readonly Queue<long> _conflictTimes = new();

    // RFC 6762 §9: the names are taken; claim "<id> (n)" and "sovereign-<id>-n" everywhere and probe again.
    private void Rename(InterfaceLink where, long now)
    {
        Debug.Assert(_profile is not null, "only a responder with a profile sees conflicts");
        var taken = _profile.InstanceLabel(_attempt);
        _attempt++;
        _conflictTimes.Enqueue(now);
        while (_conflictTimes.Count > 0 && now - _conflictTimes.Peek() > ConflictWindowMs)
        {
            _conflictTimes.Dequeue();
        }

        var delayMs = _conflictTimes.Count >= ConflictBurst ? ConflictBackoffMs : ProbeDelayMs();
        LogConflict(_logger, taken, where.Interface.Name, _profile.InstanceLabel(_attempt));
        foreach (var link in _links.Values)
        {
            link.Responder.Probe(RecordsFor(link.Interface), now, delayMs);
        }
    }

    // The records of the names claimed now, with this interface's addresses (called with a profile only).
    private ServiceRecords RecordsFor(MdnsInterface networkInterface) => new(_profile!, _attempt, networkInterface.Addresses);

    // RFC 6762 §8.1: a random 0–250 ms before the first probe.
    private int ProbeDelayMs() => _random.Next(0, Responder.ProbeIntervalMs + 1);

    // A record is ours when any interface's responder holds it: our host on two links of one LAN is not a conflict.
    private bool IsOurs(DnsRecord record) =>
        _links.Values.Any(l => l.Responder.Records is { } records && records.All.Any(record.IsSameRecord));
}
