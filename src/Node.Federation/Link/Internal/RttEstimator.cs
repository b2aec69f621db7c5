namespace Node.Federation.Link.Internal;

/// <summary>The numbering fields of a beat to send (<c>Beat.seq</c>, <c>echo_seq</c>, <c>echo_delay_us</c> of peer.proto).</summary>
/// <param name="Seq">This beat's number on the stream, from 1.</param>
/// <param name="EchoSeq">The last number received from the peer; 0 before any.</param>
/// <param name="EchoDelayUs">Microseconds between receiving <paramref name="EchoSeq"/> and sending this beat.</param>
internal readonly record struct BeatStamp(ulong Seq, ulong EchoSeq, uint EchoDelayUs);

/// <summary>
/// Round-trip time over a heartbeat stream without comparing the two nodes' clocks
/// (docs/design/peer-link.md §6): each beat carries its number and echoes the last number received,
/// with how long it was held; RTT = now − sent(echo) − held. The send times of the last
/// <see cref="Remembered"/> beats are kept; an echo of an older or unknown number, or of one already
/// measured, is ignored. A sample is never negative (a peer claiming to have held a beat longer than
/// the round trip gives 0).
/// </summary>
/// <remarks>
/// One per stream, both directions. Thread-safe: beats are sent on the timer's loop and received on
/// the stream's read loop.
/// </remarks>
internal sealed class RttEstimator(TimeProvider time)
{
    /// <summary>How many of our latest beats an echo may name.</summary>
    public const int Remembered = 8;

    private readonly Lock _gate = new();
    private readonly ulong[] _sentSeq = new ulong[Remembered];
    private readonly long[] _sentAt = new long[Remembered];
    private ulong _lastSent;
    private ulong _lastMeasured;
    private ulong _lastReceived;
    private long _lastReceivedAt;
    private TimeSpan? _latest;
    private TimeSpan? _smoothed;

    /// <summary>The last sample; null before the first.</summary>
    public TimeSpan? Latest
    {
        get
        {
            lock (_gate)
            {
                return _latest;
            }
        }
    }

    /// <summary>The smoothed RTT (RFC 6298 §2: 7/8 of the previous value and 1/8 of each new sample); null before the first sample.</summary>
    public TimeSpan? Smoothed
    {
        get
        {
            lock (_gate)
            {
                return _smoothed;
            }
        }
    }

    /// <summary>Numbers the next beat to send, records when it is sent (now), and says what it echoes.</summary>
    public BeatStamp Next()
    {
        var now = time.GetTimestamp();
        lock (_gate)
        {
            var seq = ++_lastSent;
            _sentSeq[seq % Remembered] = seq;
            _sentAt[seq % Remembered] = now;
            var held = _lastReceived == 0 ? TimeSpan.Zero : time.GetElapsedTime(_lastReceivedAt, now);
            return new BeatStamp(seq, _lastReceived, (uint)Math.Clamp(held.Ticks / TimeSpan.TicksPerMicrosecond, 0, uint.MaxValue));
        }
    }

    /// <summary>
    /// A beat arrived with these fields. Returns the RTT sample it gives, or null when its echo names
    /// none of our last beats not yet measured.
    /// </summary>
    public TimeSpan? Received(ulong seq, ulong echoSeq, uint echoDelayUs)
    {
        var now = time.GetTimestamp();
        lock (_gate)
        {
            if (seq > _lastReceived)
            {
                (_lastReceived, _lastReceivedAt) = (seq, now);
            }

            if (echoSeq == 0 || echoSeq > _lastSent || echoSeq <= _lastMeasured || _lastSent - echoSeq >= Remembered || _sentSeq[echoSeq % Remembered] != echoSeq)
            {
                return null;
            }

            _lastMeasured = echoSeq;
            var sample = time.GetElapsedTime(_sentAt[echoSeq % Remembered], now) - TimeSpan.FromMicroseconds(echoDelayUs);
            sample = sample < TimeSpan.Zero ? TimeSpan.Zero : sample;
            _latest = sample;
            _smoothed = _smoothed is { } previous ? TimeSpan.FromTicks(((7 * previous.Ticks) + sample.Ticks) / 8) : sample;
            return sample;
        }
    }
}
