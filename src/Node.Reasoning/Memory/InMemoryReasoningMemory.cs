using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using Node.Reasoning.Findings;
using Node.Reasoning.Internal;

namespace Node.Reasoning.Memory;

/// <summary>
/// <see cref="IReasoningMemory"/> in process memory: decayed claim records, the last
/// <see cref="RecentConclusions"/> conclusions per subject, and packet tallies set by the owner.
/// </summary>
/// <remarks>Not thread-safe. Allocates only on a subject's (or claim's) first appearance.</remarks>
public sealed class InMemoryReasoningMemory : IReasoningMemory
{
    /// <summary>Conclusions remembered per subject for <see cref="Conclusions"/>.</summary>
    public const int RecentConclusions = 10;

    private const int StateVersion = 1;
    private const int MaxSubjectBytes = 1024;
    private readonly Dictionary<(string, FindingKind, int), ClaimRecord> _claims = [];
    private readonly Dictionary<string, Subject> _subjects = new(StringComparer.Ordinal);
    private readonly double _decay;
    private (string? Subject, Subject? State) _last;

    /// <summary>Makes an empty memory whose claim records forget with <paramref name="halfLife"/> outcomes.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="halfLife"/> is below 1.</exception>
    public InMemoryReasoningMemory(double halfLife = 100)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(halfLife, 1);
        _decay = Math.Pow(0.5, 1 / halfLife);
    }

    /// <summary>How many distinct claim records it holds.</summary>
    public int ClaimCount => _claims.Count;

    /// <inheritdoc/>
    public ClaimRecord Recall(string subject, FindingKind claim, int direction) =>
        _claims.GetValueOrDefault((subject, claim, direction));

    /// <inheritdoc/>
    public void Learn(string subject, FindingKind claim, int direction, bool held)
    {
        ref var record = ref CollectionsMarshal.GetValueRefOrAddDefault(_claims, (subject, claim, direction), out _);
        record = new ClaimRecord((record.Held * _decay) + (held ? 1 : 0), (record.Failed * _decay) + (held ? 0 : 1));
    }

    /// <inheritdoc/>
    public Tally Conclusions(string subject, int direction) =>
        Find(subject) is { } state ? state.Tally(direction) : default;

    /// <inheritdoc/>
    public Tally Packets(string subject, int direction)
    {
        if (Find(subject) is not { } state)
        {
            return default;
        }

        return direction switch
        {
            > 0 => new Tally(state.PacketsUp, state.PacketsDown),
            < 0 => new Tally(state.PacketsDown, state.PacketsUp),
            _ => default,
        };
    }

    /// <inheritdoc/>
    public void Remember(string subject, FindingKind claim, int direction, double confidence, long time) =>
        SubjectOf(subject).Push(direction);

    /// <summary>Records a knowledge packet about <paramref name="subject"/> leaning in <paramref name="direction"/>.</summary>
    public void AddPacket(string subject, int direction)
    {
        var state = SubjectOf(subject);
        if (direction > 0)
        {
            state.PacketsUp++;
        }
        else if (direction < 0)
        {
            state.PacketsDown++;
        }
    }

    /// <summary>Writes the claim records, recent conclusions and packet tallies in a versioned little-endian format.</summary>
    public void Save(IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var writer = new StateWriter(destination);
        writer.Int32(StateVersion);
        writer.Int32(_claims.Count);
        foreach (var ((subject, claim, direction), record) in _claims)
        {
            writer.String(subject);
            writer.Int32((int)claim);
            writer.Int32(direction);
            writer.Double(record.Held);
            writer.Double(record.Failed);
        }

        writer.Int32(_subjects.Count);
        foreach (var (name, state) in _subjects)
        {
            writer.String(name);
            writer.Int32(state.PacketsUp);
            writer.Int32(state.PacketsDown);
            var directions = state.Directions();
            writer.Int32(directions.Length);
            foreach (var direction in directions)
            {
                writer.Int32(direction);
            }
        }
    }

    /// <summary>
    /// Restores what <see cref="Save"/> wrote into this (empty) memory; false with <paramref name="error"/> naming what does
    /// not read. At most <paramref name="maxEntries"/> claims and subjects are taken, against a damaged count.
    /// </summary>
    public bool TryRestore(ReadOnlySpan<byte> source, [NotNullWhen(false)] out string? error, int maxEntries = 1_000_000)
    {
        var reader = new StateReader(source);
        error = "memory state: the header does not read";
        if (!reader.Int32(out var version) || version != StateVersion || !reader.Int32(out var claims) || claims < 0 || claims > maxEntries)
        {
            return false;
        }

        for (var i = 0; i < claims; i++)
        {
            if (!reader.String(MaxSubjectBytes, out var subject) || !reader.Int32(out var claim) || !Enum.IsDefined((FindingKind)claim)
                || !reader.Int32(out var direction) || direction is < -1 or > 1
                || !reader.Double(out var held) || !reader.Double(out var failed) || held < 0 || failed < 0)
            {
                error = $"memory state: claim record {i} does not read";
                return false;
            }

            _claims[(subject, (FindingKind)claim, direction)] = new ClaimRecord(held, failed);
        }

        if (!reader.Int32(out var subjects) || subjects < 0 || subjects > maxEntries)
        {
            error = "memory state: the subject count does not read";
            return false;
        }

        for (var i = 0; i < subjects; i++)
        {
            if (!reader.String(MaxSubjectBytes, out var name) || !reader.Int32(out var up) || !reader.Int32(out var down) || up < 0 || down < 0
                || !reader.Int32(out var count) || count < 0 || count > RecentConclusions)
            {
                error = $"memory state: subject {i} does not read";
                return false;
            }

            var state = SubjectOf(name);
            (state.PacketsUp, state.PacketsDown) = (up, down);
            for (var j = 0; j < count; j++)
            {
                if (!reader.Int32(out var direction) || direction is < -1 or > 1)
                {
                    error = $"memory state: subject {i}'s conclusion {j} does not read";
                    return false;
                }

                state.Push(direction);
            }
        }

        if (!reader.AtEnd)
        {
            error = "memory state: bytes left over";
            return false;
        }

        error = null;
        return true;
    }

    private Subject SubjectOf(string subject)
    {
        if (Find(subject) is { } found)
        {
            return found;
        }

        var state = _subjects[subject] = new Subject();
        _last = (subject, state);
        return state;
    }

    // The pipeline asks about one subject several times per observation: the last one is kept at hand.
    private Subject? Find(string subject)
    {
        if (_last.Subject is { } last && (ReferenceEquals(last, subject) || string.Equals(last, subject, StringComparison.Ordinal)))
        {
            return _last.State;
        }

        if (!_subjects.TryGetValue(subject, out var state))
        {
            return null;
        }

        _last = (subject, state);
        return state;
    }

    private sealed class Subject
    {
        private readonly sbyte[] _directions = new sbyte[RecentConclusions];
        private int _next;
        private int _count;

        public int PacketsUp { get; set; }

        public int PacketsDown { get; set; }

        public void Push(int direction)
        {
            _directions[_next] = (sbyte)Math.Sign(direction);
            _next = (_next + 1) % _directions.Length;
            _count = Math.Min(_count + 1, _directions.Length);
        }

        /// <summary>The remembered directions, oldest first.</summary>
        public int[] Directions()
        {
            var directions = new int[_count];
            var start = _count < _directions.Length ? 0 : _next;
            for (var i = 0; i < _count; i++)
            {
                directions[i] = _directions[(start + i) % _directions.Length];
            }

            return directions;
        }

        public Tally Tally(int direction)
        {
            var sign = Math.Sign(direction);
            int agree = 0, disagree = 0;
            for (var i = 0; i < _count; i++)
            {
                if (_directions[i] == 0 || sign == 0)
                {
                    continue;
                }

                if (_directions[i] == sign)
                {
                    agree++;
                }
                else
                {
                    disagree++;
                }
            }

            return new Tally(agree, disagree);
        }
    }
}
