using Node.Reasoning.Findings;
using Node.Reasoning.Memory;

namespace Node.Reasoning.Reasoners;

/// <summary>
/// Joey, memory. For a conclusion's claim it recalls how such claims on the subject turned out (the recall
/// stage's confidence: the decayed, Laplace-smoothed rate at which they held; abstains under
/// <see cref="MinimumOutcomes"/> outcomes) and tallies recent conclusions — and, at deep depth, knowledge
/// packets — that agree or disagree with its direction: a <see cref="FindingKind.Corroboration"/> when at least
/// <see cref="MinimumTally"/> agree and the agreeing outnumber the opposed, a <see cref="FindingKind.Contradiction"/>
/// in the reverse case, each with confidence (majority + 1) / (total + 2).
/// </summary>
public sealed class Joey(IReasoningMemory memory)
{
    /// <summary>Decayed outcomes a claim needs before Joey gives a recall confidence.</summary>
    public const double MinimumOutcomes = 5;

    /// <summary>Agreeing (or opposed) items needed for a finding.</summary>
    public const int MinimumTally = 3;

    /// <summary>The memory Joey recalls from.</summary>
    public IReasoningMemory Memory { get; } = memory ?? throw new ArgumentNullException(nameof(memory));

    /// <summary>Recalls for a claim; adds corroboration or contradiction findings; returns the recall confidence or NaN.</summary>
    public double Recall(string subject, FindingKind claim, int direction, Depth depth, FindingBuffer findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var record = Memory.Recall(subject, claim, direction);
        if (direction != 0)
        {
            var tally = Memory.Conclusions(subject, direction);
            if (depth == Depth.Deep)
            {
                tally += Memory.Packets(subject, direction);
            }

            if (tally.Agree >= MinimumTally && tally.Agree > tally.Disagree)
            {
                findings.Add(new Finding(Reasoner.Joey, FindingKind.Corroboration, direction, (tally.Agree + 1.0) / (tally.Total + 2),
                    tally.Agree, tally.Disagree));
            }
            else if (tally.Disagree >= MinimumTally && tally.Disagree > tally.Agree)
            {
                findings.Add(new Finding(Reasoner.Joey, FindingKind.Contradiction, -direction, (tally.Disagree + 1.0) / (tally.Total + 2),
                    tally.Agree, tally.Disagree));
            }
        }

        return record.Total < MinimumOutcomes ? double.NaN : record.Rate;
    }
}
