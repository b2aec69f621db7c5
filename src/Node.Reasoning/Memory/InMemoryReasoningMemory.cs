using Node.Reasoning.Findings;

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

    private readonly Dictionary<(string, FindingKind, int), ClaimRecord> _claims = [];
    private readonly Dictionary<string, Subject> _subjects = new(StringComparer.Ordinal);
    private readonly double _decay;

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
        var record = _claims.GetValueOrDefault((subject, claim, direction));
        _claims[(subject, claim, direction)] = new ClaimRecord((record.Held * _decay) + (held ? 1 : 0), (record.Failed * _decay) + (held ? 0 : 1));
    }

    /// <inheritdoc/>
    public Tally Conclusions(string subject, int direction) =>
        _subjects.TryGetValue(subject, out var state) ? state.Tally(direction) : default;

    /// <inheritdoc/>
    public Tally Packets(string subject, int direction)
    {
        if (!_subjects.TryGetValue(subject, out var state))
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

    private Subject SubjectOf(string subject)
    {
        if (!_subjects.TryGetValue(subject, out var state))
        {
            _subjects[subject] = state = new Subject();
        }

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
