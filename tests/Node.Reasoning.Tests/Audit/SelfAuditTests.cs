using Node.Reasoning.Audit;
using Node.Reasoning.Findings;
using static Node.Reasoning.Tests.Audit.AuditSnapshots;

namespace Node.Reasoning.Tests.Audit;

public sealed class SelfAuditTests
{
    [Fact]
    public void Has_24_checks_five_four_four_three_three_five_by_category_with_unique_ids()
    {
        var checks = HealthySnapshot().Audit().Checks;

        Assert.Equal(24, checks.Count);
        Assert.Equal(24, checks.Select(c => c.Id).Distinct().Count());
        Assert.Equal([5, 4, 4, 3, 3, 5],
            Enum.GetValues<AuditCategory>().Select(category => checks.Count(c => c.Category == category)));
    }

    [Fact]
    public void A_healthy_node_passes_every_check_with_pass_rate_and_confidence_one()
    {
        var report = HealthySnapshot().Audit();

        Assert.All(report.Checks, c => Assert.Equal(AuditStatus.Pass, c.Status));
        Assert.All(report.Checks, c => Assert.Null(c.Recommendation));
        Assert.Equal(1, report.PassRate);
        Assert.Equal(1, report.Confidence);
        Assert.All(report.Categories, c => Assert.Equal(1, c.PassRate));
        Assert.Empty(report.Gaps);
        Assert.Empty(report.Recommendations);
    }

    [Fact]
    public void Scores_categories_overall_pass_rate_and_confidence_as_hand_computed()
    {
        // Calibration not yet measurable; key file mode and quarantine fail.
        var snapshot = HealthySnapshot() with
        {
            CalibrationOutcomes = 10,
            IdentityKeyFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead,
            QuarantineCount = 5000,
        };

        var report = snapshot.Audit();

        var performance = report.Categories.Single(c => c.Category == AuditCategory.Performance);
        Assert.Equal((3, 2, 0, 1), (performance.Checks, performance.Passed, performance.Failed, performance.NotApplicable));
        Assert.Equal(1, performance.PassRate);
        var federation = report.Categories.Single(c => c.Category == AuditCategory.FederationReadiness);
        Assert.Equal((5, 3, 2, 0), (federation.Checks, federation.Passed, federation.Failed, federation.NotApplicable));
        Assert.Equal(0.6, federation.PassRate!.Value, 12);
        Assert.Equal(21.0 / 23, report.PassRate!.Value, 12);
        // Mean over six categories of passed / checks: (1 + 1 + 1 + 1 + 2/3 + 3/5) / 6.
        Assert.Equal(79.0 / 90, report.Confidence, 12);
        Assert.Equal(["federation.key_file_mode", "federation.quarantine"], report.Gaps.Select(g => g.Id));
        Assert.Equal(2, report.Recommendations.Count);
    }

    [Fact]
    public void Checks_without_enough_data_are_not_applicable_and_left_out_of_pass_rates()
    {
        var snapshot = HealthySnapshot() with
        {
            Cycles = 99,
            LastReflectionCycle = null,
            Conclusions = 19,
            AletheiaConflicts = 19,
            RecallAttempts = [],
            ShallowP99Microseconds = null,
            ModerateP99Microseconds = null,
            DeepP99Microseconds = null,
            CalibrationOutcomes = 199,
            CalibrationError = 0.5,
        };

        var report = snapshot.Audit();

        Assert.Equal(
            ["agents.reflection", "agents.conflict_rate", "agents.recall", "performance.latency", "performance.calibration"],
            report.Checks.Where(c => c.Status == AuditStatus.NotApplicable).Select(c => c.Id));
        Assert.Equal(1, report.PassRate);
        Assert.Contains("Not yet measurable: 199 outcomes, 200 needed", report.Check("performance.calibration").Finding, StringComparison.Ordinal);
        // Agent coordination vouches with one check of four, performance with one of three.
        Assert.Equal((1 + 1 + 1.0 / 4 + 1 + 1.0 / 3 + 1) / 6, report.Confidence, 12);
    }

    [Fact]
    public void A_reasoner_that_never_ran_is_late_only_once_the_node_has_been_up_longer_than_the_bound()
    {
        var noKyle = HealthySnapshot() with { Reasoners = [.. HealthySnapshot().Reasoners.Where(r => r.Reasoner != Reasoner.Kyle)] };

        Assert.Equal(AuditStatus.Pass, (noKyle with { StartedAt = Now.AddMinutes(-5) }).Audit().Check("agents.reasoners_ran").Status);
        var late = noKyle.Audit().Check("agents.reasoners_ran");
        Assert.Equal(AuditStatus.Fail, late.Status);
        Assert.Contains("Kyle (never ran)", late.Finding, StringComparison.Ordinal);
    }

    [Fact]
    public void Reflection_that_never_ran_after_100_cycles_fails()
    {
        var check = (HealthySnapshot() with { LastReflectionCycle = null }).Audit().Check("agents.reflection");

        Assert.Equal(AuditStatus.Fail, check.Status);
        Assert.Contains("never ran in 1050 cycles", check.Finding, StringComparison.Ordinal);
    }

    [Fact]
    public void Compaction_that_never_ran_fails_once_the_node_is_older_than_its_schedule()
    {
        var check = (HealthySnapshot() with { LastCompactionAt = null }).Audit().Check("memory.compaction");

        Assert.Equal(AuditStatus.Fail, check.Status);
        Assert.Contains("never ran", check.Finding, StringComparison.Ordinal);
    }

    [Fact]
    public void An_automatic_approval_of_a_type_missing_from_the_matrix_breaks_the_threshold_rule()
    {
        var snapshot = HealthySnapshot() with { DecisionTypes = [.. HealthySnapshot().DecisionTypes.Where(t => t.Type != "rollback")] };

        var check = snapshot.Audit().Check("ethics.auto_approval_threshold");

        Assert.Equal(AuditStatus.Fail, check.Status);
        Assert.Contains("d-auto-1 (type rollback has no threshold)", check.Finding, StringComparison.Ordinal);
    }

    [Fact]
    public void Approvals_exactly_an_hour_apart_are_not_in_the_same_hour()
    {
        var snapshot = HealthySnapshot() with
        {
            Decisions =
            [
                .. HealthySnapshot().Decisions,
                Decided("d-auto-3", "rollback", automatic: true, 0.9, Now.AddHours(-1.5), "auto"),
                Decided("d-auto-4", "rollback", automatic: true, 0.9, Now.AddHours(-1), "auto"),
            ],
        };

        Assert.Equal(AuditStatus.Pass, snapshot.Audit().Check("ethics.auto_approval_cap").Status);
    }

    [Fact]
    public void A_finding_names_the_first_five_offenders_and_counts_the_rest()
    {
        var snapshot = HealthySnapshot() with
        {
            ActivePeers = [.. Enumerable.Range(1, 8).Select(i => new AuditPeer($"PEER-{i}", "unknown"))],
        };

        var finding = snapshot.Audit().Check("federation.peer_tiers").Finding;

        Assert.Equal("8 active peers are still unknown: PEER-1, PEER-2, PEER-3, PEER-4, PEER-5 and 3 more.", finding);
    }

    [Fact]
    public void The_default_bounds_validate()
    {
        Assert.Null(AuditBounds.Default.Validate());
    }

    [Fact]
    public void A_bad_bound_is_named_by_validation_and_refused_by_the_audit()
    {
        var bounds = AuditBounds.Default with { MaxConflictRate = 1.5 };

        Assert.Equal("AuditBounds.MaxConflictRate must be in [0, 1]; was 1.5.", bounds.Validate());
        var error = Assert.Throws<ArgumentException>(() => SelfAudit.Run(HealthySnapshot(), bounds));
        Assert.Contains("MaxConflictRate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bounds_change_the_verdict()
    {
        var strict = AuditBounds.Default with { DeepP99GoalMicroseconds = 30 };

        Assert.Equal(AuditStatus.Fail, SelfAudit.Run(HealthySnapshot(), strict).Check("performance.latency").Status);
    }
}
