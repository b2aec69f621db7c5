using Node.Reasoning.Findings;

namespace Node.Reasoning.Memory;

/// <summary>
/// What Joey recalls: how earlier claims turned out, recent conclusions, and knowledge packets about a subject.
/// The daemon backs it with storage; <see cref="InMemoryReasoningMemory"/> is its in-memory twin (replay, tests).
/// Calls come from the pipeline's thread and must not block on I/O or allocate once a subject is known.
/// </summary>
public interface IReasoningMemory
{
    /// <summary>How claims of <paramref name="claim"/> in <paramref name="direction"/> on <paramref name="subject"/> turned out.</summary>
    public ClaimRecord Recall(string subject, FindingKind claim, int direction);

    /// <summary>Learns that such a claim <paramref name="held"/> or failed.</summary>
    public void Learn(string subject, FindingKind claim, int direction, bool held);

    /// <summary>Recent conclusions on <paramref name="subject"/> for and against <paramref name="direction"/>.</summary>
    public Tally Conclusions(string subject, int direction);

    /// <summary>Knowledge packets (local and from peers) about <paramref name="subject"/> for and against <paramref name="direction"/>.</summary>
    public Tally Packets(string subject, int direction);

    /// <summary>Remembers a conclusion with a direction on <paramref name="subject"/> at <paramref name="time"/> (Unix seconds).</summary>
    public void Remember(string subject, FindingKind claim, int direction, double confidence, long time);
}
