// What the responder multicasts: announcements (RFC 6762 §8.3) and queued answers, at most one multicast of a record a second (§6).
using Node.Federation.Discovery.Dns;

namespace Node.Federation.Discovery.Internal;

internal sealed partial class Responder
{
    public const int AnnounceCount = 2;
    public const int AnnounceIntervalMs = 1000;

    /// <summary>The least time between two multicasts of one record on this link (RFC 6762 §6).</summary>
    public const int RateLimitMs = 1000;

    /// <summary>The least time between two multicasts of one record that defend our names against a probe (RFC 6762 §6).</summary>
    public const int ProbeDefenseRateLimitMs = 250;

    private void QueueMulticast(DnsRecord record, long now)
    {
        if (!_pending.Contains(record))
        {
            _pending.Add(record);
        }

        _pendingAt = Math.Min(_pendingAt, now);
        FlushPending(now);
    }

    private void Announce(long now)
    {
        var records = _records!;
        Retract(records); // what changed while we probed (an address that went) is retracted first
        output.Multicast(DnsMessage.Response(records.All));
        foreach (var record in records.All)
        {
            _lastMulticast[record] = now;
            if (!_announced.Any(record.IsSameRecord))
            {
                _announced.Add(record);
            }
        }

        _announcesSent++;
        if (_announcesSent < AnnounceCount)
        {
            _nextAt = now + AnnounceIntervalMs;
        }
        else
        {
            State = ResponderState.Announced;
            _nextAt = long.MaxValue;
        }
    }

    private void FlushPending(long now)
    {
        var records = _records!;
        var limit = _pendingDefends ? ProbeDefenseRateLimitMs : RateLimitMs;
        var ready = new List<DnsRecord>();
        var next = long.MaxValue;
        foreach (var record in _pending)
        {
            var allowedAt = _lastMulticast.TryGetValue(record, out var at) ? at + limit : now;
            if (allowedAt <= now)
            {
                ready.Add(record);
            }
            else
            {
                next = Math.Min(next, allowedAt);
            }
        }

        if (ready.Count > 0)
        {
            output.Multicast(Reply(records, ready));
            foreach (var record in ready)
            {
                _pending.Remove(record);
                _lastMulticast[record] = now;
            }
        }

        _pendingAt = next;
        if (_pending.Count == 0)
        {
            _pendingDefends = false;
        }
    }

    private void SuppressPending(DnsRecord seen)
    {
        var index = _pending.FindIndex(p => p.IsSameRecord(seen) && seen.Ttl >= p.Ttl / 2);
        if (index >= 0)
        {
            _pending.RemoveAt(index);
            if (_pending.Count == 0)
            {
                _pendingAt = long.MaxValue;
            }
        }
    }
}
