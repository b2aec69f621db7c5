using System.Globalization;
using Node.Federation.Sync.Reconciliation.Internal;

namespace Node.Federation.Sync.Reconciliation;

/// <summary>
/// The initiating side of range-based set reconciliation (Negentropy-style, protocol v1 adapted; docs/protocol.md,
/// "Set reconciliation"). It sends the first query, then turns each reply into the next query until it knows which
/// keys only it has (<c>have</c>) and which only the responder has (<c>need</c>).
/// </summary>
/// <remarks>
/// Pure: no I/O, no clock, no randomness; the same sets and options give byte-identical messages. A first pass sends
/// short fingerprints and id prefixes; the result is confirmed against the responder's full 16-byte fingerprint of
/// its whole set, and a second pass at full strength (16-byte fingerprints, whole ids) runs if it does not match, so
/// a collision, chance or crafted, costs rounds, never a missed or wrong key. Not thread-safe.
/// </remarks>
public sealed partial class ReconcileInitiator
{
    // The fewest asks a query carries after the responder deferred some (see Pace).
    private const int MinWindow = 16;

    private readonly SyncKeySet _set;
    private readonly ReconcileOptions _options;
    private readonly SyncFingerprint _own;
    private readonly HashSet<SyncKey> _reported = [];
    private readonly PrefixMatcher _matcher = new();
    private readonly AskQueue _pending = new();
    private List<Ask> _asked = [];
    private IdSum _haveSum, _needSum;
    private int _haveCount, _needCount;
    private SyncFingerprint? _responderSet;
    private int _width;
    private int _window = int.MaxValue;
    private Phase _phase;

    /// <summary>Prepares a reconciliation of <paramref name="set"/>.</summary>
    /// <param name="set">This side's view, unchanged until the reconciliation ends.</param>
    /// <param name="options">The parameters; <see cref="ReconcileOptions.Default"/> if null.</param>
    /// <exception cref="ArgumentException"><paramref name="options"/> are not valid.</exception>
    public ReconcileInitiator(SyncKeySet set, ReconcileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(set);
        _set = set;
        _options = options ?? ReconcileOptions.Default;
        _options.ThrowIfInvalid();
        _own = set.Fingerprint();
        _width = _options.FingerprintBytes;
    }

    private enum Phase
    {
        NotStarted,
        Waiting,
        Complete,
        Refused,
    }

    /// <summary>Queries sent so far, the first included: the round trips, once the last reply is in.</summary>
    public int Rounds { get; private set; }

    /// <summary>Bytes of the queries sent so far.</summary>
    public long BytesSent { get; private set; }

    /// <summary>Bytes of the replies received so far.</summary>
    public long BytesReceived { get; private set; }

    /// <summary>Whether the full-strength pass had to run (the first pass's result did not match the responder's set).</summary>
    public bool UsedFullStrength => _width == SyncFingerprint.Length && _options.FingerprintBytes < SyncFingerprint.Length;

    /// <summary>The first query.</summary>
    /// <exception cref="InvalidOperationException">Already called.</exception>
    public byte[] Initiate()
    {
        if (_phase != Phase.NotStarted)
        {
            throw new InvalidOperationException("The reconciliation was already initiated.");
        }

        _pending.PushFront(InitialAsks());
        _phase = Phase.Waiting;
        return Query();
    }

    /// <summary>
    /// Takes the responder's reply to the last query: adds what it settles to <paramref name="have"/> and
    /// <paramref name="need"/> (each key once over the whole reconciliation, only after the whole reply checked),
    /// and returns the next query, completion, or a refusal. Never throws on a bad reply.
    /// </summary>
    /// <param name="reply">The responder's message, as received; any bytes at all.</param>
    /// <param name="have">Gets the keys this side has and the responder lacks.</param>
    /// <param name="need">Gets the keys the responder has and this side lacks.</param>
    /// <exception cref="InvalidOperationException">Not initiated, or already complete or refused.</exception>
    public ReconcileResult Step(ReadOnlyMemory<byte> reply, ICollection<SyncKey> have, ICollection<SyncKey> need)
    {
        ArgumentNullException.ThrowIfNull(have);
        ArgumentNullException.ThrowIfNull(need);
        if (_phase != Phase.Waiting)
        {
            throw new InvalidOperationException($"The reconciliation is {_phase}; Step takes a reply to a query.");
        }

        BytesReceived += reply.Length;
        if (MessageReader.Read(reply, Direction.Reply, _options, _width, out var message) is { } refusal)
        {
            return Refuse(refusal);
        }

        if (_responderSet is { } known && known != message!.Set)
        {
            return Refuse(ReconcileResult.Refuse(ReconcileError.SetChanged, Text($"the responder's set fingerprint changed from {known} to {message.Set}")));
        }

        _responderSet = message!.Set;
        if (Predicted() == message.Set)
        {
            return Finish();
        }

        var answer = new Answer();
        if (Process(message, answer) is { } problem)
        {
            return Refuse(problem);
        }

        Publish(answer, have, need);
        return Predicted() == message.Set ? Finish() : Next(answer);
    }

    private ReconcileResult Next(Answer answer)
    {
        Pace(answer.Requeued.Count);
        var opened = answer.Fresh;
        opened.AddRange(answer.Requeued);
        opened.Sort(Ask.ByLower);
        _pending.PushFront(opened);
        if (_pending.Count == 0)
        {
            if (_width == SyncFingerprint.Length)
            {
                return Refuse(ReconcileResult.Refuse(ReconcileError.Inconsistent,
                    "every range is settled at full strength, yet the responder's set fingerprint is not the one its answers add up to"));
            }

            _width = SyncFingerprint.Length; // the weak pass missed something: again at full strength
            _pending.PushFront(InitialAsks());
        }

        if (Rounds >= _options.MaxRounds)
        {
            return Refuse(ReconcileResult.Refuse(ReconcileError.TooManyRounds, Text($"{Rounds} queries sent; the limit is {_options.MaxRounds}")));
        }

        return ReconcileResult.Send(Query());
    }

    // What the responder defers is sent again, and asking for more than it can answer costs those bytes every round:
    // after a deferral the next query carries as many asks as were answered and half as many again (to keep the reply
    // full); after a round without one, twice as many as the last.
    private void Pace(int deferred)
    {
        var answered = _asked.Count - deferred;
        _window = deferred > 0 ? Math.Max(MinWindow, answered + (answered / 2))
            : _window > int.MaxValue / 2 ? int.MaxValue : _window * 2;
    }

    // The responder's set as this side now knows it: its own, less what the responder lacks, plus what it has.
    private SyncFingerprint Predicted() =>
        _set.Total.Subtract(_haveSum).Add(_needSum).ToFingerprint((long)_set.Count - _haveCount + _needCount);

    private void Publish(Answer answer, ICollection<SyncKey> have, ICollection<SyncKey> need)
    {
        foreach (var key in answer.Have)
        {
            if (_reported.Add(key))
            {
                have.Add(key);
                _haveSum = _haveSum.Add(key);
                _haveCount++;
            }
        }

        foreach (var key in answer.Need)
        {
            if (_reported.Add(key))
            {
                need.Add(key);
                _needSum = _needSum.Add(key);
                _needCount++;
            }
        }
    }

    private ReconcileResult Finish()
    {
        _phase = Phase.Complete;
        _pending.Clear();
        _asked.Clear();
        return ReconcileResult.Complete;
    }

    private ReconcileResult Refuse(ReconcileResult refusal)
    {
        _phase = Phase.Refused;
        return refusal;
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>What one reply settles and opens.</summary>
    private sealed class Answer
    {
        public List<Ask> Fresh { get; } = [];

        public List<Ask> Requeued { get; } = [];

        public List<SyncKey> Have { get; } = [];

        public List<SyncKey> Need { get; } = [];
    }
}
