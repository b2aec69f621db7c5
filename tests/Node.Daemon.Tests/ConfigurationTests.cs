using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Node.Daemon.CommandLine;
using Node.Daemon.Configuration;
using Node.Daemon.Tests.Support;
using Node.Federation.Discovery;

namespace Node.Daemon.Tests;

public sealed class ConfigurationTests
{
    private static DaemonLaunch Launch(TempDirectory dir, string[] args, Dictionary<string, string?>? environment = null)
    {
        Assert.True(DaemonCommandLine.TryParse(args, out var commandLine, out var error), error);
        return new DaemonLaunch(commandLine, environment ?? [], dir.Path, 4242);
    }

    private static ResolvedSettings Resolve(DaemonLaunch launch)
    {
        Assert.True(NodeConfiguration.TryBuild(launch, out var configuration, out var error), error);
        Assert.Empty(NodeOptionsRegistration.Check(configuration, launch));
        return NodeOptionsRegistration.Resolve(configuration, launch);
    }

    [Fact]
    public void Without_any_setting_the_node_runs_from_dot_node_with_its_defaults()
    {
        using var dir = new TempDirectory();

        var settings = Resolve(Launch(dir, []));

        Assert.Equal(dir.Combine(".node"), settings.Node.DataDirectory);
        Assert.Equal(dir.Combine(".node", "logs"), settings.Log.Directory);
        Assert.Equal(Environment.MachineName, settings.Node.Name);
        Assert.Equal("Information", settings.Log.Level);
        Assert.Equal(30, settings.Log.RetainedFileCount);
        Assert.Equal(8102, settings.Federation.PeerPort);
    }

    [Fact]
    public void Under_systemd_the_state_and_logs_directories_come_from_the_environment()
    {
        using var dir = new TempDirectory();

        var settings = Resolve(Launch(dir, [], new() { ["STATE_DIRECTORY"] = "/var/lib/sovereign-node", ["LOGS_DIRECTORY"] = "/var/log/sovereign-node" }));

        Assert.Equal("/var/lib/sovereign-node", settings.Node.DataDirectory);
        Assert.Equal("/var/log/sovereign-node", settings.Log.Directory);
    }

    [Fact]
    public void The_config_file_is_overridden_by_the_environment_which_is_overridden_by_flags()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("node.json", """
            { "Node": { "Name": "from-file", "DataDirectory": "file-data" },
              "Federation": { "PeerPort": 9001 },
              "Logging": { "Level": "Warning", "RetainedFileCount": 5 } }
            """);
        var environment = new Dictionary<string, string?>
        {
            ["SOVEREIGN_NODE__NODE__NAME"] = "from-env",
            ["SOVEREIGN_NODE__FEDERATION__PEERPORT"] = "9002",
        };

        var fileOnly = Resolve(Launch(dir, ["--config", file]));
        var fileAndEnvironment = Resolve(Launch(dir, ["--config", file], environment));
        var all = Resolve(Launch(dir, ["--config", file, "--name", "from-flag"], environment));

        Assert.Equal(("from-file", 9001, "Warning", 5), (fileOnly.Node.Name, fileOnly.Federation.PeerPort, fileOnly.Log.Level, fileOnly.Log.RetainedFileCount));
        Assert.Equal(dir.Combine("file-data"), fileOnly.Node.DataDirectory);
        Assert.Equal(("from-env", 9002, "Warning"), (fileAndEnvironment.Node.Name, fileAndEnvironment.Federation.PeerPort, fileAndEnvironment.Log.Level));
        Assert.Equal(("from-flag", 9002), (all.Node.Name, all.Federation.PeerPort));
    }

    [Theory]
    [InlineData("""{ "Node": {} }""")]
    [InlineData("""{ "Federation": null, "Logging": { } }""")]
    [InlineData("""{ }""")]
    [InlineData("""{ "Storage": null, "Reasoning": { "Kenny": null } }""")]
    [InlineData("""{ "Federation": { "Discovery": { "Interfaces": null } } }""")]
    [InlineData("""{ "Federation": { "Discovery": { "Interfaces": [] } } }""")]
    [InlineData("""{ "Reasoning": { "Kyle": {}, "Memory": [] } }""")]
    public void Empty_sections_are_harmless(string content)
    {
        using var dir = new TempDirectory();

        var settings = Resolve(Launch(dir, ["--config", dir.Write("node.json", content)]));

        Assert.Equal(8102, settings.Federation.PeerPort);
    }

    [Fact]
    public void Under_systemd_the_config_file_is_found_in_the_configuration_directory()
    {
        using var dir = new TempDirectory();
        dir.Write("node.json", """{ "Node": { "Name": "installed" } }""");

        var settings = Resolve(Launch(dir, [], new() { ["CONFIGURATION_DIRECTORY"] = dir.Path }));

        Assert.Equal("installed", settings.Node.Name);
    }

    private static DiscoveryOptions Discovery(DaemonLaunch launch)
    {
        Assert.True(NodeConfiguration.TryBuild(launch, out var configuration, out var error), error);
        Assert.Empty(NodeOptionsRegistration.Check(configuration, launch));
        using var services = new ServiceCollection().AddNodeOptions(configuration, launch).BuildServiceProvider();
        return services.GetRequiredService<IOptions<DiscoveryOptions>>().Value;
    }

    [Fact]
    public void Discovery_is_on_by_default_and_its_settings_come_from_file_environment_and_flags()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("node.json", """{ "Federation": { "Discovery": { "Interfaces": [ "eth0", "wlan0" ], "IPv6": false } } }""");

        var defaults = Discovery(Launch(dir, []));
        var fromFile = Discovery(Launch(dir, ["--config", file]));
        var fromEnvironment = Discovery(Launch(dir, [], new() { ["SOVEREIGN_NODE__FEDERATION__DISCOVERY__INTERFACES__0"] = "br0" }));
        var off = Discovery(Launch(dir, ["--config", file, "--no-discovery"]));

        Assert.Equal((true, true, 0), (defaults.Enabled, defaults.IPv6, defaults.Interfaces.Count));
        Assert.Equal((true, false), (fromFile.Enabled, fromFile.IPv6));
        Assert.Equal(["eth0", "wlan0"], fromFile.Interfaces);
        Assert.Equal(["br0"], fromEnvironment.Interfaces);
        Assert.False(off.Enabled);
    }

    [Fact]
    public void The_dashboard_is_off_by_default_on_127_0_0_1_port_8101_with_two_minute_login_links()
    {
        using var dir = new TempDirectory();
        var launch = Launch(dir, []);
        Assert.True(NodeConfiguration.TryBuild(launch, out var configuration, out var error), error);
        using var services = new ServiceCollection().AddNodeOptions(configuration, launch).BuildServiceProvider();

        var dashboard = services.GetRequiredService<IOptions<Node.Daemon.Dashboard.DashboardOptions>>().Value;

        Assert.Equal((false, "127.0.0.1", 8101, TimeSpan.FromMinutes(2)), (dashboard.Enabled, dashboard.Address, dashboard.Port, dashboard.LoginLinkLifetime));
    }

    public static TheoryData<string[], string, string> InvalidOptions => new()
    {
        { ["--peer-port", "70000"], "", "Federation:PeerPort must be a port from 0 to 65535 (0 picks a free port); was 70000." },
        { ["--peer-port", "-1"], "", "Federation:PeerPort must be a port from 0 to 65535" },
        { ["--peer-port", "eighty"], "", "Federation:PeerPort must be a whole number; was 'eighty'." },
        { ["--log-level", "Loud"], "", "Logging:Level must be one of Verbose, Debug, Information, Warning, Error, Fatal; was 'Loud'." },
        { ["--set", "Logging:RetainedFileCount=0"], "", "Logging:RetainedFileCount must be from 1 to 3650; was 0." },
        { ["--set", "Logging:RetainedFileCount=many"], "", "Logging:RetainedFileCount must be a whole number; was 'many'." },
        { ["--name", " padded "], "", "Node:Name must be 1 to 64 characters" },
        { ["--name", new string('n', 65)], "", "Node:Name must be 1 to 64 characters" },
        { ["--set", "Federation:PerPort=1"], "", "Federation:PerPort (from command line) is not a known setting. Did you mean Federation:PeerPort?" },
        { [], """{ "Federation": { "PeerPort": 99999 } }""", "Federation:PeerPort must be a port from 0 to 65535" },
        { [], """{ "Nodes": { "Name": "x" } }""", "Nodes:Name (from file" },
        { [], """{ "Node": { "Name": "x", }""", "is not valid" },
        { [], """{ "Node": { "Name": "a" }, "Node": { "Name": "b" } }""", "A duplicate key 'Node:Name' was found." },
        { ["--set", "Federation:PeerPort="], "", "Federation:PeerPort (from command line) is empty; give it a value or remove it." },
        { ["--set", "Storage:MaxBatchSize=0"], "", "Storage:MaxBatchSize must be from 1 to 100000; was 0." },
        { ["--set", "Reasoning:Depth=sideways"], "", "Reasoning:Depth must be a value of type" },
        { ["--set", "Reasoning:ReflectionInterval=5"], "", "Reasoning:ReflectionInterval must be between 10 and 100000; was 5." },
        { ["--set", "Reasoning:Kyle:PivotSpan=99"], "", "Reasoning:Kyle:PivotSpan must be between 1 and 20; was 99." },
        { [], """{ "Reasoning": { "Kenny": { "Memory": { "Enter": 2 } } } }""", "Reasoning:Kenny:Memory:Enter must be in (0, 1]; was 2." },
        { ["--set", "Reasoning:Kyle:PivotSpn=3"], "", "Reasoning:Kyle:PivotSpn (from command line) is not a known setting. Did you mean Reasoning:Kyle:PivotSpan?" },
        { ["--set", "Reasoning:Kyle=3"], "", "Reasoning:Kyle (from command line) is not a known setting." },
        { ["--set", "Federation:Discovery:Enabld=false"], "", "Federation:Discovery:Enabld (from command line) is not a known setting. Did you mean Federation:Discovery:Enabled?" },
        { ["--set", "Federation:Discovery:Enabled=maybe"], "", "Federation:Discovery:Enabled must be true or false; was 'maybe'." },
        { ["--set", "Federation:Discovery:Interfaces:0=abcdefghijklmnop"], "", "Federation:Discovery:Interfaces:0 must be an interface name such as eth0" },
        { ["--set", "Federation:Discovery:Interface:0=eth0"], "", "Federation:Discovery:Interface:0 (from command line) is not a known setting. Did you mean Federation:Discovery:Interfaces:0?" },
        { ["--set", "Federation:Discovery:Interfaces=eth0"], "", "Federation:Discovery:Interfaces (from command line) is a list: set its items as Federation:Discovery:Interfaces:0" },
        { ["--set", "Federation:Discovery:Interfaces:0="], "", "Federation:Discovery:Interfaces:0 (from command line) is empty; give it a value or remove it." },
        { [], """{ "Federation": { "Discovery": { "Interfaces": [ "eth0", "eth 1" ] } } }""", "Federation:Discovery:Interfaces:1 must be an interface name such as eth0" },
        { [], """{ "Federation": { "Discovery": { "IPv7": false } } }""", "Federation:Discovery:IPv7 (from file" },
        { ["--set", "Dashboard:Port=65536"], "", "Dashboard:Port must be a port from 0 to 65535 (0 picks a free port); was 65536." },
        { ["--set", "Dashboard:Address=localhost"], "", "Dashboard:Address must be an IP address such as 127.0.0.1 (a host name is not allowed); was 'localhost'." },
        { ["--set", "Dashboard:LoginLinkLifetime=00:00:00"], "", "Dashboard:LoginLinkLifetime must be more than 00:00:00 and at most 01:00:00; was 00:00:00." },
        { ["--set", "Dashboard:LoginLinkLifetime=02:00:00"], "", "Dashboard:LoginLinkLifetime must be more than 00:00:00 and at most 01:00:00; was 02:00:00." },
        { ["--set", "Dashboard:RequestsPerSecond=0"], "", "Dashboard:RequestsPerSecond must be from 1 to 10000; was 0." },
        { ["--set", "Dashboard:Burst=100001"], "", "Dashboard:Burst must be from 1 to 100000; was 100001." },
        { ["--set", "Dashboard:Enabled=yes"], "", "Dashboard:Enabled must be true or false; was 'yes'." },
        { ["--set", "Dashboard:Prot=8101"], "", "Dashboard:Prot (from command line) is not a known setting. Did you mean Dashboard:Port?" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public async Task An_invalid_option_stops_the_daemon_with_exit_code_2_and_names_it(string[] args, string fileContent, string expected)
    {
        using var dir = new TempDirectory();
        if (fileContent.Length > 0)
        {
            args = [.. args, "--config", dir.Write("node.json", fileContent)];
        }

        var error = new StringWriter();
        var exitCode = await InProcessDaemon.RunAsync(dir.Path, InProcessDaemon.FileDecidesPeerPort(), args, error: error,
            stoppingToken: TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.ConfigError, exitCode);
        Assert.Contains(expected, error.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.Combine(".node")), "A refused configuration must not create the state directory.");
    }

    public static TheoryData<string, string> OddJsonValues => new()
    {
        { """{ "Node": { "Name": null } }""", "Node:Name (from file {0}) is null (or an empty {{}} or []): null is not allowed for a setting; give it a value, or remove the key to take the default." },
        { """{ "Federation": { "PeerPort": null } }""", "Federation:PeerPort (from file {0}) is null" },
        { """{ "Logging": { "Level": null, "Directory": null } }""", "Logging:Directory (from file {0}) is null" },
        { """{ "Node": { "DataDirectory": {} } }""", "Node:DataDirectory (from file {0}) is null" },
        { """{ "Api": { "Socket": [] } }""", "Api:Socket (from file {0}) is null" },
        { """{ "Reasoning": { "Kyle": { "PivotSpan": null } } }""", "Reasoning:Kyle:PivotSpan (from file {0}) is null" },
        { """{ "Federation": { "Discovery": { "Interfaces": [ "eth0", null ] } } }""", "Federation:Discovery:Interfaces:1 (from file {0}) is null" },
        { """{ "Node": { "Name": [ "a", "b" ] } }""", "Node:Name (from file {0}) must be a single value, not a JSON object or array." },
        { """{ "Federation": { "PeerPort": { "port": 1 } } }""", "Federation:PeerPort (from file {0}) must be a single value, not a JSON object or array." },
        { """{ "Federation": { "PeerPort": 1e400 } }""", "Federation:PeerPort must be a whole number; was '1e400'." },
        { """{ "Federation": { "PeerPort": 99999999999999999999 } }""", "Federation:PeerPort must be a whole number; was '99999999999999999999'." },
        { """{ "Federation": { "PeerPort": true } }""", "Federation:PeerPort must be a whole number; was 'True'." },
        { """{ "Federation": { "PeerPort": "" } }""", "Federation:PeerPort (from file {0}) is empty; give it a value or remove it." },
        { """{ "Node": { "Name": "" } }""", "Node:Name must be 1 to 64 characters" },
        { """{ "Reasoning": { "NoveltyLevel": "NaN" } }""", "Reasoning:NoveltyLevel must be between 0 and 0.5 (exclusive); was NaN." },
        { """{ "Nodes": null }""", "Nodes (from file {0}) is not a known setting. Did you mean Node" },
        { """{ "Federation": "" }""", "Federation (from file {0}) is not a known setting. It is a section: set its keys, such as Federation:Discovery:Enabled." },
        { """{ "Federation": { "Discovery": { "Interfaces": [ { "name": "eth0" } ] } } }""", "Federation:Discovery:Interfaces:0 (from file {0}) must be a single value, not a JSON object or array." },
        { """[ { "Node": { "Name": "x" } } ]""", "configuration file {0} is not valid: its top level must be a JSON object {{ … }}; it is an array." },
        { """null""", "configuration file {0} is not valid: its top level must be a JSON object {{ … }}; it is null." },
    };

    [Theory]
    [MemberData(nameof(OddJsonValues))]
    public async Task A_null_or_an_odd_JSON_value_is_a_configuration_error_that_names_the_key(string content, string expected)
    {
        using var dir = new TempDirectory();
        var file = dir.Write("node.json", content);
        var error = new StringWriter();

        var exitCode = await InProcessDaemon.RunAsync(dir.Path, InProcessDaemon.FileDecidesPeerPort(), ["--config", file], error: error,
            stoppingToken: TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.ConfigError, exitCode);
        Assert.Contains(string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, file), error.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.Combine(".node")), "A refused configuration must not create the state directory.");
    }

    [Fact]
    public async Task A_config_file_larger_than_1_MiB_is_refused_unread()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("node.json", "{ }" + new string(' ', 1024 * 1024));
        var error = new StringWriter();

        var exitCode = await InProcessDaemon.RunAsync(dir.Path, new Dictionary<string, string?>(), ["--config", file], error: error,
            stoppingToken: TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.ConfigError, exitCode);
        Assert.Contains($"configuration file {file} is not valid: it is 1048579 bytes; a config file is at most 1048576 bytes.", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_null_for_any_single_setting_is_refused_by_name_and_a_null_list_is_empty()
    {
        using var dir = new TempDirectory();
        var launch = Launch(dir, []);
        Assert.True(NodeConfiguration.TryBuild(launch, out var defaults, out var error), error);
        using var services = new ServiceCollection().AddNodeOptions(defaults, launch).BuildServiceProvider();
        var file = dir.Combine("node.json");

        foreach (var key in services.GetRequiredService<ConfigurationSchema>().Keys)
        {
            // {"A": {"B": null}} for A:B.
            var parts = key.Split(':');
            dir.Write("node.json", string.Concat(parts.Select(p => $"{{ \"{p}\": ")) + "null" + new string('}', parts.Length));
            var fileLaunch = Launch(dir, ["--config", file]);
            Assert.True(NodeConfiguration.TryBuild(fileLaunch, out var configuration, out error), error);

            var problems = NodeOptionsRegistration.Check(configuration, fileLaunch);

            string[] expected = key == "Federation:Discovery:Interfaces"
                ? []
                : [$"{key} (from file {file}) is null (or an empty {{}} or []): null is not allowed for a setting; give it a value, or remove the key to take the default."];
            Assert.Equal(expected, problems);
        }
    }

    [Fact]
    public async Task An_invalid_environment_variable_is_named_with_its_origin()
    {
        using var dir = new TempDirectory();
        var error = new StringWriter();

        var exitCode = await InProcessDaemon.RunAsync(dir.Path, new Dictionary<string, string?> { ["SOVEREIGN_NODE__LOGGING__LEVL"] = "Debug" }, [],
            error: error, stoppingToken: TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.ConfigError, exitCode);
        Assert.Contains("LOGGING:LEVL (from environment) is not a known setting. Did you mean Logging:Level?", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_config_file_is_a_configuration_error()
    {
        using var dir = new TempDirectory();
        var error = new StringWriter();

        var exitCode = await InProcessDaemon.RunAsync(dir.Path, new Dictionary<string, string?>(), ["--config", "absent.json"], error: error,
            stoppingToken: TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.ConfigError, exitCode);
        Assert.Contains($"configuration file {dir.Combine("absent.json")} does not exist.", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_problem_is_reported_at_once()
    {
        using var dir = new TempDirectory();
        var error = new StringWriter();

        var exitCode = await InProcessDaemon.RunAsync(dir.Path, new Dictionary<string, string?>(),
            ["--peer-port", "70000", "--log-level", "Loud", "--name", ""], error: error, stoppingToken: TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.ConfigError, exitCode);
        var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Contains(lines, l => l.Contains("Federation:PeerPort", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Logging:Level", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Node:Name", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unusable_state_directory_fails_start_up_with_exit_code_1_and_names_it()
    {
        using var dir = new TempDirectory();
        var blocker = dir.Write("not-a-dir", "");
        var error = new StringWriter();

        var exitCode = await InProcessDaemon.RunAsync(dir.Path, new Dictionary<string, string?>(), ["--data-dir", blocker], error: error,
            stoppingToken: TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.Failure, exitCode);
        Assert.Contains($"State directory {blocker} is a file, not a directory.", error.ToString(), StringComparison.Ordinal);
    }
}
