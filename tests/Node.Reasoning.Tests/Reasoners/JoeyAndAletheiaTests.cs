using Node.Reasoning.Findings;
using Node.Reasoning.Memory;
using Node.Reasoning.Reasoners;

namespace Node.Reasoning.Tests.Reasoners;

public sealed class JoeyAndAletheiaTests
{
    [Fact]
    public void Joey_abstains_without_outcomes_then_gives_the_smoothed_rate_at_which_such_claims_held()
    {
        var memory = new InMemoryReasoningMemory();
        var joey = new Joey(memory);
        var findings = new FindingBuffer();
        Assert.True(double.IsNaN(joey.Recall("x", FindingKind.BreakoutUp, 1, Depth.Moderate, findings)));

        for (var i = 0; i < 8; i++)
        {
            memory.Learn("x", FindingKind.BreakoutUp, 1, held: i < 6);
        }

        var rate = joey.Recall("x", FindingKind.BreakoutUp, 1, Depth.Moderate, findings);
        var record = memory.Recall("x", FindingKind.BreakoutUp, 1);
        Assert.Equal((record.Held + 1) / (record.Total + 2), rate, 12);
        Assert.InRange(rate, 0.6, 0.75);
        Assert.True(double.IsNaN(joey.Recall("x", FindingKind.BreakoutDown, -1, Depth.Moderate, findings)), "other claims keep their own record");
    }

    [Fact]
    public void Joey_corroborates_when_recent_conclusions_agree_and_contradicts_when_they_oppose()
    {
        var memory = new InMemoryReasoningMemory();
        var joey = new Joey(memory);
        for (var i = 0; i < 4; i++)
        {
            memory.Remember("x", FindingKind.Trend, 1, 0.6, i);
        }

        var findings = new FindingBuffer();
        joey.Recall("x", FindingKind.BreakoutUp, 1, Depth.Moderate, findings);
        var corroboration = Assert.Single(findings.Items.ToArray());
        Assert.Equal(FindingKind.Corroboration, corroboration.Kind);
        Assert.Equal(5.0 / 6, corroboration.Confidence, 12);

        findings.Clear();
        joey.Recall("x", FindingKind.BreakoutDown, -1, Depth.Moderate, findings);
        Assert.Equal(FindingKind.Contradiction, Assert.Single(findings.Items.ToArray()).Kind);
    }

    [Fact]
    public void Joey_counts_knowledge_packets_only_at_deep_depth()
    {
        var memory = new InMemoryReasoningMemory();
        var joey = new Joey(memory);
        for (var i = 0; i < 3; i++)
        {
            memory.AddPacket("x", -1);
        }

        var findings = new FindingBuffer();
        joey.Recall("x", FindingKind.BreakoutUp, 1, Depth.Moderate, findings);
        Assert.Equal(0, findings.Count);
        joey.Recall("x", FindingKind.BreakoutUp, 1, Depth.Deep, findings);
        Assert.Equal(FindingKind.Contradiction, Assert.Single(findings.Items.ToArray()).Kind);
    }

    [Fact]
    public void Aletheia_reports_consolidation_with_a_breakout_and_opposite_patterns_as_conflicts()
    {
        var aletheia = new Aletheia();
        var findings = new FindingBuffer();
        findings.Add(new Finding(Reasoner.Kyle, FindingKind.Consolidation, 0, 0.7, 0.01, 0.02));
        findings.Add(new Finding(Reasoner.Kyle, FindingKind.BreakoutUp, 1, 0.6, 100, 0.8));
        findings.Add(new Finding(Reasoner.Kyle, FindingKind.ReversalBearish, -1, 0.55, 101, 1));
        findings.Add(new Finding(Reasoner.Kyle, FindingKind.Trend, 1, 0.9, 99, 1));

        Assert.True(aletheia.CheckConsistency(findings));
        var conflicts = findings.Items.ToArray().Where(f => f.Kind == FindingKind.Conflict).ToArray();
        Assert.Equal(2, conflicts.Length);
        Assert.Equal(0.6, conflicts[0].Confidence);
        Assert.Equal((double)FindingKind.Consolidation, conflicts[0].Level);
        Assert.Equal((double)FindingKind.BreakoutUp, conflicts[0].Evidence);
        Assert.Equal(0.55, conflicts[1].Confidence);
    }

    [Fact]
    public void Aletheia_finds_no_conflict_in_agreeing_findings_and_a_trend_never_conflicts()
    {
        var aletheia = new Aletheia();
        var findings = new FindingBuffer();
        findings.Add(new Finding(Reasoner.Kyle, FindingKind.BreakoutUp, 1, 0.6, 100, 0.8));
        findings.Add(new Finding(Reasoner.Kyle, FindingKind.Trend, -1, 0.9, 99, 1));
        findings.Add(new Finding(Reasoner.Kyle, FindingKind.ExtremeMove, 1, 0.7, 100, 4));
        Assert.False(aletheia.CheckConsistency(findings));
        Assert.Equal(0, aletheia.Conflicts);
    }

    [Fact]
    public void Aletheias_validate_confidence_is_the_smoothed_rate_of_claims_made_with_the_same_conflict_flag()
    {
        var aletheia = new Aletheia();
        var stages = StageConfidences.Abstained;
        stages[StageConfidences.Analyze] = 0.6;
        Assert.True(double.IsNaN(aletheia.ValidateConfidence(true)));
        for (var i = 0; i < 6; i++)
        {
            aletheia.Learn(stages, 0.4, 0.6, conflict: true, held: i < 2);
        }

        Assert.Equal(3.0 / 8, aletheia.ValidateConfidence(true), 12);
        Assert.True(double.IsNaN(aletheia.ValidateConfidence(false)));
    }
}
