using Node.Daemon.Tests.Support;

namespace Node.Daemon.Tests;

/// <summary>
/// The socket (mode 0660) refuses a user who is neither its owner nor in its group, and so does its
/// folder (0750, as systemd makes /run/sovereign-node).
/// </summary>
public sealed class SocketPermissionTests
{
    public static TheoryData<string> Kinds => DaemonProcess.Kinds();

    // nobody:nogroup, with no supplementary groups: neither the socket's owner nor in its group.
    private static readonly string[] AsNobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_user_without_permission_on_the_socket_is_refused_with_exit_3(string kind)
    {
        // The way to the socket is open (0711): only the socket's own mode may refuse.
        var (socket, refused, owner) = await StatusAsNobodyAndOwner(kind, (UnixFileMode)0b111_001_001);

        Assert.True(refused.Code == 3, refused.ToString());
        Assert.Empty(refused.Output);
        Assert.Contains(socket, refused.Error, StringComparison.Ordinal);
        Assert.Contains("ermission denied", refused.Error, StringComparison.Ordinal);
        Assert.True(owner.Code == 0, owner.ToString());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_user_outside_the_group_of_a_closed_socket_folder_is_told_which_group_to_join(string kind)
    {
        // As RuntimeDirectoryMode=0750 leaves /run/sovereign-node: others may not even look inside.
        var (socket, refused, owner) = await StatusAsNobodyAndOwner(kind, (UnixFileMode)0b111_101_000);

        Assert.True(refused.Code == 1, refused.ToString());
        Assert.Empty(refused.Output);
        Assert.Contains($"nodectl: permission denied: {socket} is for the node's user and the members of the group sovereign-node", refused.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Is the node running", refused.Error, StringComparison.Ordinal);
        Assert.True(owner.Code == 0, owner.ToString());
    }

    // Starts a node, gives its state folder (where the socket is) FOLDERMODE, and runs
    // `nodectl status` as nobody and as the owner; stops the node.
    private static async Task<(string Socket, NodeCtlResult Refused, NodeCtlResult Owner)> StatusAsNobodyAndOwner(string kind, UnixFileMode folderMode)
    {
        Assert.SkipUnless(Environment.IsPrivilegedProcess,
            "Needs root, to run nodectl as another user (CI runs the tests as root).");
        Assert.SkipUnless(File.Exists("/usr/bin/setpriv") || File.Exists("/bin/setpriv"), "setpriv (util-linux) is not installed.");
        using var dir = new TempDirectory();
        using var notify = new NotifyListener(dir.Path);
        using var daemon = DaemonProcess.Start(kind, dir.Path, [], new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notify.Path });
        await notify.WaitForAsync("READY=1");
        var socket = dir.Combine(".node", "api.sock");
        File.SetUnixFileMode(dir.Path, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(dir.Combine(".node"), folderMode);

        var refused = await NodeCtlProcess.RunAsync(kind, ["status", "--socket", socket], AsNobody);
        var owner = await NodeCtlProcess.RunAsync(kind, "status", "--socket", socket);

        daemon.Signal(DaemonProcess.SIGTERM);
        Assert.Equal(ExitCodes.Ok, await daemon.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        return (socket, refused, owner);
    }
}
