using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Node.Daemon.Api.Access;
using Node.Daemon.CommandLine;
using Node.Daemon.Configuration;
using Node.Daemon.Tests.Support;

namespace Node.Daemon.Tests.ApiAccess;

/// <summary>Without configuration the node listens on no TCP port for its API; bad settings stop it at start.</summary>
public sealed class TcpListenerOffTests
{
    public static TheoryData<string> Kinds => DaemonProcess.Kinds();

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task By_default_nothing_listens_for_the_api_on_tcp(string kind)
    {
        await using var node = await TcpDaemon.StartAsync(kind);

        var listening = ListeningSockets.Of(node.Process.Id);

        Assert.DoesNotContain(listening, e => e.Port == ApiTcpOptions.DefaultPort);
        Assert.DoesNotContain(listening, e => e.Address.Equals(System.Net.IPAddress.Loopback));
        Assert.DoesNotContain("API TCP listener on", LogFiles.Read(node.LogDirectory, "node-*.log"), StringComparison.Ordinal);
    }

    public static TheoryData<string, string> InvalidSettings => new()
    {
        { "Api:Tcp:Port=70000", "Api:Tcp:Port must be a port from 0 to 65535 (0 picks a free port); was 70000." },
        { "Api:Tcp:Port=-1", "Api:Tcp:Port must be a port from 0 to 65535 (0 picks a free port); was -1." },
        { "Api:Tcp:Enabled=yes", "Api:Tcp:Enabled must be true or false; was 'yes'." },
        { "Api:Tcp:RateLimit:PermitsPerSecond=0", "Api:Tcp:RateLimit:PermitsPerSecond must be from 1 to 10000 calls per second; was 0." },
        { "Api:Tcp:RateLimit:Burst=1000001", "Api:Tcp:RateLimit:Burst must be from 1 to 100000 calls; was 1000001." },
        { "Api:Tcp:Adress=0.0.0.0", "Api:Tcp:Adress (from command line) is not a known setting." },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public async Task A_bad_setting_stops_the_node_with_exit_code_2_and_names_it(string setting, string expected)
    {
        using var dir = new TempDirectory();
        var error = new StringWriter();

        var code = await InProcessDaemon.RunAsync(dir.Path, new Dictionary<string, string?>(), ["--set", setting], error: error,
            stoppingToken: TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.ConfigError, code);
        Assert.Contains(expected, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_defaults_are_off_port_8103_100_per_second_and_bursts_of_200()
    {
        using var dir = new TempDirectory();
        Assert.True(DaemonCommandLine.TryParse([], out var commandLine, out _));
        var launch = new DaemonLaunch(commandLine, new Dictionary<string, string?>(), dir.Path, 4242);
        Assert.True(NodeConfiguration.TryBuild(launch, out var configuration, out _));
        using var provider = new ServiceCollection().AddNodeOptions(configuration, launch).BuildServiceProvider();

        var tcp = provider.GetRequiredService<IOptions<ApiTcpOptions>>().Value;
        var limit = provider.GetRequiredService<IOptions<ApiRateLimitOptions>>().Value;

        Assert.Equal((false, 8103), (tcp.Enabled, tcp.Port));
        Assert.Equal((100, 200), (limit.PermitsPerSecond, limit.Burst));
    }
}
