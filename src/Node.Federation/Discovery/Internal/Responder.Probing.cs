// Probing (RFC 6762 §8.1–8.2): starting a probe of the names, and losing a simultaneous probe's tie-break.
using Node.Federation.Discovery.Dns;

namespace Node.Federation.Discovery.Internal;

internal sealed partial class Responder
{
    public const int ProbeCount = 3;
    public const int ProbeIntervalMs = 250;

    /// <summary>Tie-breaks lost in a row before the names count as taken.</summary>
    public const int MaxTieLosses = 3;

    private int _tieLosses;

    /// <summary>
    /// Starts probing <paramref name="records"/> after <paramref name="delayMs"/> ms (0–250 at start, RFC 6762 §8.1).
    /// Records announced before that are not among them (the old names, after a §9 conflict renamed us)
    /// get their goodbye now; the same names probed again (§9: a conflict heard after announcing) keep theirs.
    /// </summary>
    public void Probe(ServiceRecords records, long now, int delayMs)
    {
        Retract(records);
        _records = records;
        State = ResponderState.Probing;
        _probesSent = 0;
        _announcesSent = 0;
        _tieLosses = 0;
        _lastMulticast.Clear();
        _pending.Clear();
        _pendingAt = long.MaxValue;
        DropHeld();
        _nextAt = now + delayMs;
    }

    // RFC 6762 §8.2: a simultaneous probe whose proposed records are later than ours wins; we wait a second and
    // probe again. Our own probe from another interface on the same LAN is no rival. A host that keeps out-probing
    // us (three times in a row) holds the names as far as we are concerned: true, and the caller renames.
    private bool LoseSimultaneousProbe(DnsMessage message, ServiceRecords records, long now)
    {
        foreach (var name in new[] { records.Instance, records.Host })
        {
            var theirs = message.Authorities.Where(r => r.Name.Equals(name)).ToArray();
            if (theirs.Length > 0 && !theirs.All(isOurs) && ProbeTieBreak.Compare(records.UniqueOf(name), theirs) < 0)
            {
                Conflicts++;
                if (++_tieLosses >= MaxTieLosses)
                {
                    return true;
                }

                _probesSent = 0;
                _nextAt = now + 1000;
                return false;
            }
        }

        return false;
    }
}
