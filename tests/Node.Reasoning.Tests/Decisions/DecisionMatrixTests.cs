using Microsoft.Extensions.Time.Testing;
using Node.Reasoning.Decisions;

namespace Node.Reasoning.Tests.Decisions;

public sealed class DecisionMatrixTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);

    private DecisionMatrix Matrix() => new(DecisionPolicy.Default, _time);

    public static TheoryData<string, double> AutomaticTypes => new()
    {
        { DecisionTypes.Rollback, 0.7 },
        { DecisionTypes.Deployment, 0.8 },
        { DecisionTypes.Scaling, 0.85 },
        { DecisionTypes.SelfHeal, 0.75 },
        { DecisionTypes.Publish, 0.6 },
        { DecisionTypes.Promotion, 0.9 },
    };

    [Theory]
    [MemberData(nameof(AutomaticTypes))]
    public void Approves_a_decision_exactly_at_its_threshold(string type, double threshold)
    {
        var verdict = Matrix().Evaluate(type, threshold);

        Assert.Equal(DecisionOutcome.AutoApproved, verdict.Outcome);
        Assert.Equal(DecisionReason.AtOrAboveThreshold, verdict.Reason);
        Assert.Equal(threshold, verdict.Threshold);
    }

    [Theory]
    [MemberData(nameof(AutomaticTypes))]
    public void Escalates_a_decision_just_below_its_threshold(string type, double threshold)
    {
        var verdict = Matrix().Evaluate(type, Math.BitDecrement(threshold));

        Assert.Equal(DecisionOutcome.Escalated, verdict.Outcome);
        Assert.Equal(DecisionReason.BelowThreshold, verdict.Reason);
    }

    [Fact]
    public void Never_approves_an_alert_however_sure()
    {
        var verdict = Matrix().Evaluate(DecisionTypes.Alert, 1.0);

        Assert.Equal(new DecisionVerdict(DecisionOutcome.Escalated, DecisionReason.NeverAutomatic, 1.0, 0, 0), verdict);
    }

    [Fact]
    public void Escalates_once_the_hourly_cap_is_reached()
    {
        var matrix = Matrix();
        Assert.True(matrix.Evaluate(DecisionTypes.Rollback, 0.9).IsAutoApproved);
        Assert.True(matrix.Evaluate(DecisionTypes.Rollback, 0.9).IsAutoApproved);

        var third = matrix.Evaluate(DecisionTypes.Rollback, 0.99);

        Assert.Equal(new DecisionVerdict(DecisionOutcome.Escalated, DecisionReason.OverHourlyCap, 0.7, 2, 2), third);
        Assert.Equal(2, matrix.ApprovalsInLastHour(DecisionTypes.Rollback));
    }

    [Fact]
    public void Frees_the_cap_sixty_minutes_after_an_approval()
    {
        var matrix = Matrix();
        matrix.Evaluate(DecisionTypes.Deployment, 0.9);
        _time.Advance(TimeSpan.FromMinutes(60) - TimeSpan.FromTicks(1));
        Assert.Equal(DecisionReason.OverHourlyCap, matrix.Evaluate(DecisionTypes.Deployment, 0.9).Reason);

        _time.Advance(TimeSpan.FromTicks(1));

        Assert.True(matrix.Evaluate(DecisionTypes.Deployment, 0.9).IsAutoApproved);
    }

    [Fact]
    public void Counts_the_cap_over_a_sliding_hour_not_a_clock_hour()
    {
        // Two rollbacks at 12:50 and 13:05 span two clock hours but lie within one sliding hour.
        _time.SetUtcNow(Start.AddMinutes(50));
        var matrix = Matrix();
        Assert.True(matrix.Evaluate(DecisionTypes.Rollback, 0.9).IsAutoApproved);
        _time.SetUtcNow(Start.AddMinutes(65));
        Assert.True(matrix.Evaluate(DecisionTypes.Rollback, 0.9).IsAutoApproved);

        _time.SetUtcNow(Start.AddMinutes(70));
        Assert.Equal(DecisionReason.OverHourlyCap, matrix.Evaluate(DecisionTypes.Rollback, 0.9).Reason);

        _time.SetUtcNow(Start.AddMinutes(110));
        Assert.Equal(1, matrix.ApprovalsInLastHour(DecisionTypes.Rollback));
        Assert.True(matrix.Evaluate(DecisionTypes.Rollback, 0.9).IsAutoApproved);
    }

    [Fact]
    public void Does_not_count_escalated_decisions_toward_the_cap()
    {
        var matrix = Matrix();
        matrix.Evaluate(DecisionTypes.Deployment, 0.5);

        Assert.True(matrix.Evaluate(DecisionTypes.Deployment, 0.8).IsAutoApproved);
    }

    [Fact]
    public void A_guardian_stop_halts_automatic_approval_of_every_type_until_resumed()
    {
        var matrix = Matrix();
        Assert.True(matrix.Stop("alice", "investigating a bad deployment"));

        foreach (var rule in DecisionPolicy.Default.Rules)
        {
            var verdict = matrix.Evaluate(rule.Type, 1.0);
            Assert.Equal(DecisionOutcome.Escalated, verdict.Outcome);
            Assert.Equal(DecisionReason.GuardianStop, verdict.Reason);
        }

        Assert.True(matrix.IsStopped);
        Assert.Equal("alice", matrix.StoppedBy);
        Assert.Equal(Start, matrix.StoppedAt);
        Assert.Equal(0, matrix.ApprovalsInLastHour(DecisionTypes.Publish));

        Assert.True(matrix.Resume("bob"));

        Assert.False(matrix.IsStopped);
        Assert.Null(matrix.StoppedBy);
        Assert.True(matrix.Evaluate(DecisionTypes.Publish, 1.0).IsAutoApproved);
    }

    [Fact]
    public void A_second_stop_leaves_the_first_standing()
    {
        var matrix = Matrix();
        matrix.Stop("alice", "first");
        _time.Advance(TimeSpan.FromMinutes(5));

        Assert.False(matrix.Stop("bob", "second"));
        Assert.Equal("alice", matrix.StoppedBy);
        Assert.Equal("first", matrix.StopReason);
        Assert.Equal(Start, matrix.StoppedAt);
        Assert.True(matrix.Resume("bob"));
        Assert.False(matrix.Resume("bob"));
    }

    [Fact]
    public void A_stop_restored_after_a_restart_holds_with_its_original_time()
    {
        var matrix = Matrix();
        var at = Start.AddHours(-3);

        matrix.RestoreStop("alice", "maintenance", at);

        Assert.Equal(at, matrix.StoppedAt);
        Assert.Equal(DecisionReason.GuardianStop, matrix.Evaluate(DecisionTypes.Scaling, 1.0).Reason);
    }

    [Fact]
    public void Guardian_stop_outranks_every_other_escalation_reason()
    {
        var matrix = Matrix();
        matrix.Evaluate(DecisionTypes.Deployment, 0.9);
        matrix.Stop("alice", "hold");

        Assert.Equal(DecisionReason.GuardianStop, matrix.Evaluate(DecisionTypes.Deployment, 0.1).Reason);
        Assert.Equal(DecisionReason.GuardianStop, matrix.Evaluate(DecisionTypes.Deployment, 0.9).Reason);
        Assert.Equal(DecisionReason.GuardianStop, matrix.Evaluate(DecisionTypes.Alert, 1.0).Reason);
    }

    [Fact]
    public void Below_threshold_outranks_over_the_cap()
    {
        var matrix = Matrix();
        matrix.Evaluate(DecisionTypes.Deployment, 0.9);

        var verdict = matrix.Evaluate(DecisionTypes.Deployment, 0.5);

        Assert.Equal(DecisionReason.BelowThreshold, verdict.Reason);
        Assert.Equal(1, verdict.ApprovalsInLastHour);
    }

    [Fact]
    public void Refuses_an_unknown_type()
    {
        var verdict = Matrix().Evaluate("reboot_the_world", 1.0);

        Assert.Equal(DecisionOutcome.Refused, verdict.Outcome);
        Assert.Equal(DecisionReason.UnknownType, verdict.Reason);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(-0.01)]
    [InlineData(1.01)]
    [InlineData(double.PositiveInfinity)]
    public void Refuses_a_confidence_outside_zero_to_one(double confidence)
    {
        var matrix = Matrix();
        matrix.Stop("alice", "refusal outranks the stop");

        var verdict = matrix.Evaluate(DecisionTypes.Publish, confidence);

        Assert.Equal(DecisionOutcome.Refused, verdict.Outcome);
        Assert.Equal(DecisionReason.InvalidConfidence, verdict.Reason);
    }

    [Fact]
    public void Past_approvals_seeded_after_a_restart_count_toward_the_cap()
    {
        var matrix = Matrix();
        Assert.True(matrix.RecordPastApproval(DecisionTypes.Rollback, Start.AddMinutes(-50)));
        Assert.True(matrix.RecordPastApproval(DecisionTypes.Rollback, Start.AddMinutes(-10)));
        Assert.True(matrix.RecordPastApproval(DecisionTypes.Rollback, Start.AddMinutes(-61)));
        Assert.False(matrix.RecordPastApproval("unknown", Start));

        Assert.Equal(2, matrix.ApprovalsInLastHour(DecisionTypes.Rollback));
        Assert.Equal(DecisionReason.OverHourlyCap, matrix.Evaluate(DecisionTypes.Rollback, 0.9).Reason);

        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.True(matrix.Evaluate(DecisionTypes.Rollback, 0.9).IsAutoApproved);
    }

    [Fact]
    public void Seeding_out_of_order_keeps_the_newest_approvals()
    {
        var matrix = Matrix();
        matrix.RecordPastApproval(DecisionTypes.Rollback, Start.AddMinutes(-5));
        matrix.RecordPastApproval(DecisionTypes.Rollback, Start.AddMinutes(-55));
        matrix.RecordPastApproval(DecisionTypes.Rollback, Start.AddMinutes(-2));

        _time.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(2, matrix.ApprovalsInLastHour(DecisionTypes.Rollback));
    }

    [Fact]
    public void Evaluates_without_allocating()
    {
        var matrix = Matrix();
        // The first round runs the loop hot, so the JIT's work on it (on-stack replacement compiles
        // on this thread, and a busy machine moves when) is done before the second round counts.
        var allocated = 0L;
        for (var round = 0; round < 2; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 10_000; i++)
            {
                matrix.Evaluate(DecisionTypes.Publish, 0.9);
                matrix.Evaluate(DecisionTypes.Scaling, 0.5);
                matrix.Evaluate("unknown", 0.9);
            }

            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Will_not_be_made_from_an_invalid_policy()
    {
        var policy = new DecisionPolicy([new("rollback", 1.5, 2)]);

        var error = Assert.Throws<ArgumentException>(() => new DecisionMatrix(policy, _time));

        Assert.Contains("'rollback'", error.Message, StringComparison.Ordinal);
    }
}
