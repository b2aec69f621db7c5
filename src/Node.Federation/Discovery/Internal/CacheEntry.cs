using Node.Federation.Discovery.Dns;

namespace Node.Federation.Discovery.Internal;

/// <summary>A record in the browser's cache: when it came, when it expires, which refresh query is next.</summary>
internal sealed class CacheEntry(DnsRecord record, long receivedAt, DateTimeOffset seenAt, double jitter)
{
    /// <summary>Refresh queries go at 80, 85, 90 and 95 % of the TTL (RFC 6762 §5.2), plus 0–2 %.</summary>
    private static readonly double[] RefreshAt = [0.80, 0.85, 0.90, 0.95];

    public DnsRecord Record { get; } = record;

    public long ReceivedAt { get; } = receivedAt;

    public DateTimeOffset SeenAt { get; } = seenAt;

    public long ExpiresAt { get; private set; } = receivedAt + (record.Ttl * 1000L);

    public int RefreshStep { get; private set; }

    /// <summary>When the next refresh query for it is due; never after a goodbye or once all four went.</summary>
    public long RefreshDue => RefreshStep >= RefreshAt.Length || Record.Ttl == 0
        ? long.MaxValue
        : ReceivedAt + (long)(Record.Ttl * 1000L * (RefreshAt[RefreshStep] + jitter));

    /// <summary>Remaining TTL in seconds at <paramref name="now"/>, for known-answer lists.</summary>
    public uint RemainingTtlSeconds(long now) => (uint)Math.Max(0, (ExpiresAt - now) / 1000);

    /// <summary>Whether more than half the TTL remains (RFC 6762 §7.1: only then is it a known answer).</summary>
    public bool HalfLeft(long now) => ExpiresAt - now > Record.Ttl * 500L;

    public void RefreshSent() => RefreshStep++;

    /// <summary>Expire in one second: a goodbye, or flushed by a cache-flush record (RFC 6762 §10.1–10.2).</summary>
    public void ExpireSoon(long now) => ExpiresAt = Math.Min(ExpiresAt, now + 1000);
}
