using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Node.Federation.Link;

namespace Node.Federation.Tests.Link;

public sealed class PeerLinkOptionsTests
{
    private static IOptions<PeerLinkOptions> Options(Action<PeerLinkOptions> configure)
    {
        var services = new ServiceCollection().AddFederation();
        services.AddOptions<PeerLinkOptions>().Configure(configure);
        return services.BuildServiceProvider().GetRequiredService<IOptions<PeerLinkOptions>>();
    }

    private static string Refusal(Action<PeerLinkOptions> configure) =>
        Assert.Single(Assert.Throws<OptionsValidationException>(() => Options(configure).Value).Failures);

    [Fact]
    public void The_defaults_are_the_documented_ones_and_valid()
    {
        var options = Options(_ => { }).Value;

        Assert.Equal("Federation:Link", PeerLinkOptions.SectionName);
        Assert.Equal(TimeSpan.FromSeconds(10), options.HeartbeatInterval);
        Assert.Equal(TimeSpan.FromSeconds(25), options.SuspectAfter);
        Assert.Equal(TimeSpan.FromSeconds(60), options.DownAfter);
        Assert.Null(options.AcceptGrace);
        Assert.Equal(TimeSpan.FromSeconds(20), options.EffectiveAcceptGrace);
        Assert.Equal(TimeSpan.FromSeconds(1), options.BackoffInitial);
        Assert.Equal(TimeSpan.FromSeconds(60), options.BackoffMax);
        Assert.Equal(TimeSpan.FromSeconds(30), options.BackoffResetAfter);
        Assert.Equal(TimeSpan.FromMinutes(5), options.RefusedRetry);
    }

    [Fact]
    public void The_accept_grace_follows_the_interval_unless_set()
    {
        Assert.Equal(TimeSpan.FromSeconds(2), Options(o => (o.HeartbeatInterval, o.SuspectAfter, o.DownAfter) = (TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(6))).Value.EffectiveAcceptGrace);
        Assert.Equal(TimeSpan.Zero, Options(o => o.AcceptGrace = TimeSpan.Zero).Value.EffectiveAcceptGrace);
    }

    [Fact]
    public void The_shortened_settings_of_the_daemon_tests_are_accepted()
    {
        var options = Options(o =>
        {
            (o.HeartbeatInterval, o.SuspectAfter, o.DownAfter) = (TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(6));
            (o.BackoffInitial, o.BackoffMax, o.BackoffResetAfter, o.RefusedRetry) = (TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        }).Value;

        Assert.Equal(TimeSpan.FromSeconds(6), options.DownAfter);
    }

    [Theory]
    [InlineData(0.5, "Federation:Link:HeartbeatInterval must be between 00:00:01 and 00:05:00; was 00:00:00.5000000.")]
    [InlineData(301, "Federation:Link:HeartbeatInterval must be between 00:00:01 and 00:05:00; was 00:05:01.")]
    public void An_interval_out_of_range_is_refused_naming_the_key_the_range_and_the_value(double seconds, string message) =>
        Assert.Equal(message, Refusal(o => (o.HeartbeatInterval, o.SuspectAfter, o.DownAfter) =
            (TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(Math.Max(25, 2.5 * seconds)), TimeSpan.FromSeconds(Math.Max(60, 6 * seconds)))));

    [Fact]
    public void Suspect_must_allow_two_missed_beats() =>
        Assert.Equal("Federation:Link:SuspectAfter must be more than twice Federation:Link:HeartbeatInterval (00:00:20); was 00:00:20.",
            Refusal(o => o.SuspectAfter = TimeSpan.FromSeconds(20)));

    [Theory]
    [InlineData(25, "was 00:00:25.")]
    [InlineData(3601, "was 01:00:01.")]
    public void Down_must_come_after_suspect_and_within_an_hour(int seconds, string was) =>
        Assert.Equal($"Federation:Link:DownAfter must be more than Federation:Link:SuspectAfter (00:00:25) and at most 01:00:00; {was}",
            Refusal(o => o.DownAfter = TimeSpan.FromSeconds(seconds)));

    [Theory]
    [InlineData(-1, "was -00:00:01.")]
    [InlineData(3601, "was 01:00:01.")]
    public void An_accept_grace_out_of_range_is_refused(int seconds, string was) =>
        Assert.Equal($"Federation:Link:AcceptGrace must be between 00:00:00 and 01:00:00, or unset for twice Federation:Link:HeartbeatInterval; {was}",
            Refusal(o => o.AcceptGrace = TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Back_off_settings_out_of_range_are_refused_each_by_name()
    {
        Assert.Equal("Federation:Link:BackoffInitial must be between 00:00:00.1000000 and 00:01:00; was 00:00:00.0500000.",
            Refusal(o => o.BackoffInitial = TimeSpan.FromMilliseconds(50)));
        Assert.Equal("Federation:Link:BackoffMax must be at least Federation:Link:BackoffInitial (00:00:01) and at most 01:00:00; was 00:00:00.5000000.",
            Refusal(o => o.BackoffMax = TimeSpan.FromMilliseconds(500)));
        Assert.Equal("Federation:Link:BackoffMax must be at least Federation:Link:BackoffInitial (00:00:01) and at most 01:00:00; was 02:00:00.",
            Refusal(o => o.BackoffMax = TimeSpan.FromHours(2)));
        Assert.Equal("Federation:Link:BackoffResetAfter must be between 00:00:01 and 01:00:00; was 00:00:00.",
            Refusal(o => o.BackoffResetAfter = TimeSpan.Zero));
        Assert.Equal("Federation:Link:RefusedRetry must be between 00:00:01 and 1.00:00:00; was 2.00:00:00.",
            Refusal(o => o.RefusedRetry = TimeSpan.FromDays(2)));
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Options(o =>
        {
            o.HeartbeatInterval = TimeSpan.Zero;
            o.DownAfter = TimeSpan.FromSeconds(1);
            o.RefusedRetry = TimeSpan.Zero;
        }).Value);

        Assert.Equal(3, ex.Failures.Count());
    }
}
