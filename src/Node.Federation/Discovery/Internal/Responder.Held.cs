// Queries whose known answers come in several packets (RFC 6762 §7.2): held 400–500 ms after the last TC packet, then answered once.
using System.Net;
using Node.Federation.Discovery.Dns;

namespace Node.Federation.Discovery.Internal;

internal sealed partial class Responder
{
    /// <summary>The least wait after a query packet with TC before answering (RFC 6762 §7.2: 400–500 ms).</summary>
    public const int TruncatedWaitMinMs = 400;

    /// <summary>The most wait after a query packet with TC before answering.</summary>
    public const int TruncatedWaitMaxMs = 500;

    /// <summary>
    /// A held query is answered at most this long after its first packet, however many TC packets follow:
    /// a stream of them must not silence us (the risk RFC 6762 §7.2 names).
    /// </summary>
    public const int MaxHoldMs = 2000;

    /// <summary>Queries held at once (one per asking address); past this a TC query is answered as if it were whole.</summary>
    public const int MaxHeldQueries = 32;

    /// <summary>Known answers kept per held query; past this they are not kept, and at worst we answer what the asker knew.</summary>
    public const int MaxHeldKnownAnswers = 1024;

    private readonly Dictionary<IPAddress, HeldQuery> _held = [];
    private long _heldAt = long.MaxValue;

    // True when the message was taken in by a held query. A query with TC starts one for its address (or joins
    // it); a packet without questions from an address with one held adds its known answers, and without TC it
    // is the last: the list is whole and the query is answered now.
    private bool Defer(DnsMessage message, IPEndPoint source, long now)
    {
        if (source.Port != MdnsPort)
        {
            return false; // a legacy resolver's query is answered as it comes (RFC 6762 §6.7)
        }

        var continuation = message.Questions.Count == 0;
        if (!_held.TryGetValue(source.Address, out var held))
        {
            if (!message.IsTruncated || continuation || _held.Count >= MaxHeldQueries)
            {
                return false;
            }

            held = new HeldQuery(source, now);
            _held.Add(source.Address, held);
        }
        else if (!continuation && !message.IsTruncated)
        {
            return false; // a new, whole query from the same host: answered now; the held one still waits
        }

        foreach (var question in message.Questions)
        {
            if (held.Questions.Count < MaxQuestions && !held.Questions.Contains(question))
            {
                held.Questions.Add(question);
            }
        }

        AddKnownAnswers(held.Known, message, MaxHeldKnownAnswers);
        held.IsProbe |= message.Authorities.Count > 0;
        held.DueAt = message.IsTruncated
            ? Math.Min(now + random.Next(TruncatedWaitMinMs, TruncatedWaitMaxMs + 1), held.FirstAt + MaxHoldMs)
            : now;
        _heldAt = _held.Values.Min(h => h.DueAt); // a TC packet puts its query's answer later; the last one, now
        if (_heldAt <= now)
        {
            AnswerHeld(now);
        }

        return true;
    }

    private void AnswerHeld(long now)
    {
        foreach (var held in _held.Values.Where(h => h.DueAt <= now).ToList())
        {
            _held.Remove(held.Source.Address);
            // Waited 400–500 ms already: that wait spreads responders as the 20–120 ms one would.
            Answer(held.Questions, held.Known, held.Source, held.IsProbe, legacyQuery: null, deferred: now - held.FirstAt >= TruncatedWaitMinMs, now);
        }

        _heldAt = _held.Count == 0 ? long.MaxValue : _held.Values.Min(h => h.DueAt);
    }

    private void DropHeld()
    {
        _held.Clear();
        _heldAt = long.MaxValue;
    }

    /// <summary>One asker's query and the known answers it has sent so far.</summary>
    private sealed class HeldQuery(IPEndPoint source, long firstAt)
    {
        public IPEndPoint Source { get; } = source;

        public long FirstAt { get; } = firstAt;

        public List<DnsQuestion> Questions { get; } = [];

        public Dictionary<DnsRecord, uint> Known { get; } = [];

        public bool IsProbe { get; set; }

        public long DueAt { get; set; }
    }
}
