using System.Net.Sockets;
using System.Text.Json;
using Node.Daemon.Tests.Support;
using Node.Federation.Identity;

namespace Node.Daemon.Tests;

/// <summary>The local API over its real Unix socket, driven by the real nodectl.</summary>
public sealed class ApiTests
{
    public static TheoryData<string> Kinds => DaemonProcess.Kinds();

    private static Task<NodeCtlResult> NodeCtl(string kind, params string[] args) => NodeCtlProcess.RunAsync(kind, args);

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Nodectl_reads_status_and_verifies_the_log_over_the_socket(string kind)
    {
        using var dir = new TempDirectory();
        using var notify = new NotifyListener(dir.Path);
        var socket = dir.Combine(".node", "api.sock");
        using var daemon = DaemonProcess.Start(kind, dir.Path, ["--name", "api-test"], new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notify.Path });
        await notify.WaitForAsync("READY=1");

        var status = await NodeCtl(kind, "status", "--json", "--socket", socket);
        var verify = await NodeCtl(kind, "log", "verify", "--json", "--socket", socket);

        Assert.True(status.Code == 0, status.Error);
        using var json = JsonDocument.Parse(status.Output);
        var root = json.RootElement;
        Assert.True(NodeId.TryParse(root.GetProperty("nodeId").GetString(), out _, out var idError), idError);
        Assert.Equal("api-test", root.GetProperty("name").GetString());
        Assert.Equal("0.1.0", root.GetProperty("version").GetString());
        Assert.True(root.GetProperty("uptimeSeconds").GetDouble() >= 0);
        Assert.Equal(daemon.Id, root.GetProperty("pid").GetInt32());
        Assert.True(root.GetProperty("store").GetProperty("events").GetInt64() >= 3);
        Assert.Equal(0, verify.Code);
        Assert.True(JsonDocument.Parse(verify.Output).RootElement.GetProperty("intact").GetBoolean());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite, File.GetUnixFileMode(socket));

        daemon.Signal(DaemonProcess.SIGTERM);
        Assert.Equal(ExitCodes.Ok, await daemon.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(File.Exists(socket), "The socket is removed on shutdown.");
        var after = await NodeCtl(kind, "status", "--socket", socket);
        Assert.Equal(3, after.Code);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_socket_left_by_a_crash_is_replaced(string kind)
    {
        using var dir = new TempDirectory();
        using var notify = new NotifyListener(dir.Path);
        Directory.CreateDirectory(dir.Combine(".node"));
        var socket = dir.Combine(".node", "api.sock");
        using (var dead = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            dead.Bind(new UnixDomainSocketEndPoint(socket)); // bound, never listening, file left behind
        }

        using var daemon = DaemonProcess.Start(kind, dir.Path, [], new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notify.Path });
        await notify.WaitForAsync("READY=1");

        Assert.Equal(0, (await NodeCtl(kind, "status", "--socket", socket)).Code);
        daemon.Signal(DaemonProcess.SIGTERM);
        Assert.Equal(ExitCodes.Ok, await daemon.WaitForExitAsync(TimeSpan.FromSeconds(10)));
    }
}

/// <summary>The health service's list of services is the proto's.</summary>
public sealed class HealthServiceListTests
{
    [Fact]
    public void Health_reports_on_the_node_and_every_service_of_api_proto()
    {
        Assert.Equal(
            ["", .. Node.Protocol.Api.ApiReflection.Descriptor.Services.Select(s => s.FullName)],
            Api.ApiSocketLifecycle.Services);
    }
}
