using System.CommandLine;
using System.Globalization;
using System.Text;
using Node.Cli.Output;
using Node.Protocol.Api;

namespace Node.Cli.Commands;

/// <summary><c>nodectl store scrub</c>: the store's upkeep.</summary>
internal static class StoreCommands
{
    /// <summary>How long a scrub may take before nodectl gives up waiting (the node stops it then; what it marked stays marked).</summary>
    public static readonly TimeSpan ScrubTimeout = TimeSpan.FromHours(1);

    public static Command Create(GlobalOptions globals, CliConsole console)
    {
        var store = new Command("store", "The node's store: verify every stored packet.");
        store.Subcommands.Add(Scrub(globals, console));
        return store;
    }

    private static Command Scrub(GlobalOptions globals, CliConsole console)
    {
        var command = new Command("scrub",
            "Verify every stored packet now (id, limits, the author's signature) and mark those that no longer verify corrupt: " +
            "they are kept, never served or synced. Names them; exits 1 when any stored packet is corrupt.");
        command.Action = new ApiAction(globals, console, async call =>
        {
            var reply = await new StoreService.StoreServiceClient(call.Channel).ScrubAsync(new ScrubRequest(), call.Request(ScrubTimeout))
                .ConfigureAwait(false);
            await (call.Json ? call.WriteJsonAsync(writer => ApiJson.WriteScrub(writer, reply)) : call.WriteAsync(Render(reply))).ConfigureAwait(false);
            return reply.Corrupt > 0 ? NodeCtl.Error : NodeCtl.Ok;
        });
        return command;
    }

    /// <summary>The counts on one line, then a line per corrupt packet.</summary>
    internal static string Render(ScrubReply reply)
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"store scrubbed: {reply.Checked} packets verified");
        if (reply.Unverified > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $" ({reply.Unverified} without a known author key: signature not checked)");
        }

        text.Append(reply.Corrupt == 0
            ? ", none corrupt\n"
            : string.Create(CultureInfo.InvariantCulture, $", {reply.Corrupt} corrupt ({reply.Marked} newly marked); kept, never served or synced\n"));
        foreach (var packet in reply.CorruptPackets)
        {
            text.Append(CultureInfo.InvariantCulture, $"corrupt  {packet.Id}  seq {packet.Seq}  {Display.OneLine(packet.Reason)}\n");
        }

        if (reply.Corrupt > reply.CorruptPackets.Count)
        {
            text.Append(CultureInfo.InvariantCulture, $"and {reply.Corrupt - reply.CorruptPackets.Count} more (the event log's packet.corrupt entries name them all)\n");
        }

        return text.ToString();
    }
}
