using Node.Reasoning.Decisions;

namespace Node.Reasoning.Tests.Decisions;

public sealed class DecisionPolicyTests
{
    [Fact]
    public void The_default_policy_is_valid()
    {
        Assert.Null(DecisionPolicy.Default.Validate());
        Assert.Equal(7, DecisionPolicy.Default.Rules.Count);
    }

    [Theory]
    [InlineData("scaling", 0.0, 1, "'scaling': threshold must be in (0, 1]; was 0")]
    [InlineData("scaling", 1.2, 1, "'scaling': threshold must be in (0, 1]; was 1.2")]
    [InlineData("scaling", double.NaN, 1, "'scaling': threshold must be in (0, 1]; was NaN")]
    [InlineData("scaling", 0.5, -1, "'scaling': MaxAutoPerHour must be between 0 and 3600; was -1")]
    [InlineData("scaling", 0.5, 3601, "'scaling': MaxAutoPerHour must be between 0 and 3600; was 3601")]
    [InlineData("Scaling", 0.5, 1, "#2: type 'Scaling' must match [a-z_]{1,32}")]
    [InlineData("", 0.5, 1, "#2: type '' must match [a-z_]{1,32}")]
    [InlineData("scale-up", 0.5, 1, "#2: type 'scale-up' must match [a-z_]{1,32}")]
    [InlineData("abcdefghijklmnopqrstuvwxyz_abcdefg", 0.5, 1, "must match [a-z_]{1,32}")]
    [InlineData("publish", 0.5, 1, "'publish' (#2) repeats rule #1")]
    public void Validation_names_the_offending_rule(string type, double threshold, int cap, string expected)
    {
        var policy = new DecisionPolicy([new("publish", 0.6, 60), new(type, threshold, cap)]);

        var error = policy.Validate();

        Assert.NotNull(error);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cap_of_zero_is_valid_and_means_never_automatic()
    {
        Assert.Null(new DecisionPolicy([new("alert", 1.0, 0)]).Validate());
    }
}
