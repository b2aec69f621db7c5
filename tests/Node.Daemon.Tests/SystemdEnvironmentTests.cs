using Node.Daemon.Systemd;

namespace Node.Daemon.Tests;

public sealed class SystemdEnvironmentTests
{
    [Fact]
    public void Reads_what_systemd_passes()
    {
        var systemd = SystemdEnvironment.From(new Dictionary<string, string?>
        {
            ["NOTIFY_SOCKET"] = "/run/systemd/notify",
            ["WATCHDOG_USEC"] = "20000000",
            ["WATCHDOG_PID"] = "77",
            ["STATE_DIRECTORY"] = "/var/lib/sovereign-node:/var/lib/other",
            ["LOGS_DIRECTORY"] = "/var/log/sovereign-node",
            ["RUNTIME_DIRECTORY"] = "/run/sovereign-node",
            ["CONFIGURATION_DIRECTORY"] = "/etc/sovereign-node",
        }, processId: 77);

        Assert.Equal("/run/systemd/notify", systemd.NotifySocket);
        Assert.Equal(TimeSpan.FromSeconds(20), systemd.WatchdogTimeout);
        Assert.Equal("/var/lib/sovereign-node", systemd.StateDirectory);
        Assert.Equal("/var/log/sovereign-node", systemd.LogsDirectory);
        Assert.Equal("/run/sovereign-node", systemd.RuntimeDirectory);
        Assert.Equal("/etc/sovereign-node", systemd.ConfigurationDirectory);
    }

    [Theory]
    [InlineData("20000000", "78")]
    [InlineData("20000000", "not-a-pid")]
    [InlineData("0", null)]
    [InlineData("-5", null)]
    [InlineData("soon", null)]
    public void A_watchdog_meant_for_another_process_or_malformed_is_off(string usec, string? pid)
    {
        var variables = new Dictionary<string, string?> { ["WATCHDOG_USEC"] = usec };
        if (pid is not null)
        {
            variables["WATCHDOG_PID"] = pid;
        }

        Assert.Null(SystemdEnvironment.From(variables, processId: 77).WatchdogTimeout);
    }

    [Fact]
    public void Without_systemd_nothing_is_set()
    {
        var systemd = SystemdEnvironment.From(new Dictionary<string, string?>(), processId: 1);

        Assert.Equal(new SystemdEnvironment(), systemd);
    }
}
