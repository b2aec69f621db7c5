using Node.Daemon.Memory;

namespace Node.Daemon.Tests.Memory;

/// <summary>When the trimmer gives memory back: idle, and after enough allocation; never under load.</summary>
public sealed class MemoryTrimPolicyTests
{
    private const long Started = 14 << 20; // allocated by start-up, trimmed once started

    private static MemoryTrimPolicy AfterStartUp()
    {
        var policy = new MemoryTrimPolicy();
        policy.Trimmed(Started);
        return policy;
    }

    [Fact]
    public void An_idle_node_is_trimmed_once_it_has_allocated_the_slack()
    {
        var policy = AfterStartUp();
        var allocated = Started;
        var looks = 0;

        // 40 KiB between looks, an idle node's.
        do
        {
            allocated += 40 << 10;
            looks++;
        }
        while (!policy.ShouldTrim(allocated));

        Assert.Equal(MemoryTrimPolicy.SlackBytes / (40 << 10) + 1, looks);
    }

    [Fact]
    public void A_busy_node_is_never_trimmed()
    {
        var policy = AfterStartUp();
        var allocated = Started;

        for (var look = 0; look < 100; look++)
        {
            allocated += MemoryTrimPolicy.QuietBytes;
            Assert.False(policy.ShouldTrim(allocated));
        }
    }

    [Fact]
    public void After_a_burst_the_first_quiet_look_trims()
    {
        var policy = AfterStartUp();
        var allocated = Started + (500L << 20); // the burst

        Assert.False(policy.ShouldTrim(allocated));
        Assert.True(policy.ShouldTrim(allocated + (40 << 10)));
    }

    [Fact]
    public void A_trim_starts_the_count_again()
    {
        var policy = AfterStartUp();
        var allocated = Started + (500L << 20);
        policy.ShouldTrim(allocated);
        policy.Trimmed(allocated);

        Assert.False(policy.ShouldTrim(allocated + (40 << 10)));
    }
}
