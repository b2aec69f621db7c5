using System.CommandLine;
using System.Globalization;
using System.Text;
using Node.Cli.Output;
using Node.Protocol.Api;

namespace Node.Cli.Commands;

/// <summary>
/// <c>nodectl federation discover|diagnose</c>: who answers mDNS now, and why a peer may not be seen;
/// <c>status|sync|auto-sync</c> (<see cref="SyncCommands"/>): knowledge sync with the linked peers.
/// </summary>
internal static class FederationCommands
{
    /// <summary>How long <c>discover</c> waits when not told.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(2);

    /// <summary>The waits the node accepts.</summary>
    public static readonly TimeSpan MinTimeout = TimeSpan.FromMilliseconds(100), MaxTimeout = TimeSpan.FromSeconds(30);

    public static Command Create(GlobalOptions globals, CliConsole console)
    {
        var federation = new Command("federation", "Peer discovery on the local network (mDNS), and knowledge sync with the linked peers.");
        federation.Subcommands.Add(Discover(globals, console));
        federation.Subcommands.Add(Diagnose(globals, console));
        federation.Subcommands.Add(SyncCommands.Status(globals, console));
        federation.Subcommands.Add(SyncCommands.Sync(globals, console));
        federation.Subcommands.Add(SyncCommands.AutoSync(globals, console));
        return federation;
    }

    private static Command Discover(GlobalOptions globals, CliConsole console)
    {
        var timeout = CliSymbols.Duration("--timeout", MinTimeout, MaxTimeout, "DURATION",
            $"How long to wait for answers, such as 2s or 500ms (100ms to 30s); default {Display.Duration(DefaultTimeout)}.");
        var command = new Command("discover", "Ask the local network now which nodes answer (mDNS), and list them.") { timeout };
        command.Action = new ApiAction(globals, console, async call =>
        {
            var wait = call.Value(timeout) is { } given && given > TimeSpan.Zero ? given : DefaultTimeout;
            var request = new DiscoverRequest { TimeoutMs = (int)wait.TotalMilliseconds };
            var client = new FederationService.FederationServiceClient(call.Channel);
            var reply = await client.DiscoverAsync(request, call.Request(wait + ApiCall.DefaultTimeout)).ConfigureAwait(false);
            return await call.ShowAsync(writer => ApiJson.WriteDiscovery(writer, reply), () => Text(reply, wait)).ConfigureAwait(false);
        });
        return command;
    }

    private static Command Diagnose(GlobalOptions globals, CliConsole console)
    {
        var command = new Command("diagnose", "Why a peer may not be seen: discovery's names, each interface's multicast state and counters, and hints.");
        command.Action = new ApiAction(globals, console, async call =>
        {
            var client = new FederationService.FederationServiceClient(call.Channel);
            var reply = await client.DiagnoseAsync(new DiagnoseRequest(), call.Request()).ConfigureAwait(false);
            return await call.ShowAsync(writer => ApiJson.WriteDiagnosis(writer, reply), () => Text(reply)).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>The table of <c>discover</c>.</summary>
    public static string Text(DiscoverReply reply, TimeSpan waited)
    {
        var table = new TextTable("NODE ID", "INTERFACE", "ADDRESSES", "HOST", "LAST SEEN");
        foreach (var peer in reply.Peers)
        {
            table.Add(peer.NodeId.Length > 0 ? peer.NodeId : $"({peer.Instance}: no node id)", peer.InterfaceName, string.Join(", ", peer.Addresses),
                peer.Host, Display.Time(peer.LastSeenAt));
        }

        return table.Render($"no node answered within {Display.Duration(waited)}");
    }

    /// <summary>The lines of <c>diagnose</c>.</summary>
    public static string Text(DiagnoseReply reply)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append("discovery: ").AppendLine(!reply.Enabled ? "off" : reply.Running ? "on" : "on, not running");
        if (reply.Running)
        {
            text.Append("instance:  ").AppendLine(reply.InstanceName.Length > 0 ? reply.InstanceName : "(not announcing)");
            text.Append("host:      ").AppendLine(reply.HostName.Length > 0 ? reply.HostName : "(not announcing)");
            text.AppendLine(string.Create(c, $"services:  {reply.Services} resolved"));
        }

        if (reply.Links.Count > 0)
        {
            text.AppendLine();
            var table = new TextTable("INTERFACE", "INDEX", "IPV4", "IPV6", "STATE", "SENT", "RECEIVED", "SEND ERRORS", "CONFLICTS", "LAST ERROR");
            foreach (var link in reply.Links)
            {
                table.Add(link.Name, link.Index.ToString(c), Joined(link.JoinedIpv4), Joined(link.JoinedIpv6), link.State, link.PacketsSent.ToString(c),
                    link.PacketsReceived.ToString(c), link.SendErrors.ToString(c), link.Conflicts.ToString(c),
                    link.LastError.Length > 0 ? Display.OneLine(link.LastError) : "-");
            }

            text.Append(table.Render("no interfaces"));
        }

        if (reply.PeerListener is { Port: > 0 } listener)
        {
            text.AppendLine();
            text.AppendLine(string.Create(c, $"peer listener: port {listener.Port}, {listener.Connections} connections open"));
            text.Append("refused:       ").AppendLine(listener.Refusals.Count == 0 ? "nothing" :
                string.Join(", ", listener.Refusals.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => string.Create(c, $"{r.Key} {r.Value}"))));
        }

        if (reply.Hints.Count > 0)
        {
            text.AppendLine();
            foreach (var hint in reply.Hints)
            {
                text.Append("hint: ").AppendLine(hint);
            }
        }

        return text.ToString();
    }

    private static string Joined(bool joined) => joined ? "joined" : "-";
}
