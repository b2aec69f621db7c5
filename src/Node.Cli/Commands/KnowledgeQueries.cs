using System.CommandLine;
using Grpc.Core;
using Node.Cli.Output;
using Node.Protocol.Api;

namespace Node.Cli.Commands;

/// <summary><c>nodectl knowledge list|watch</c>: packets in receive order, a page at a time or as they arrive (or the quarantine, a page at a time).</summary>
internal static class KnowledgeQueries
{
    public static Command List(GlobalOptions globals, CliConsole console)
    {
        var topic = new Option<string>("--topic") { Description = "Only packets of this topic.", HelpName = "TOPIC" };
        var key = new Option<string>("--key") { Description = "Only packets of this key.", HelpName = "KEY" };
        var kind = CliSymbols.Choice("--kind", CliNames.Kinds, "Only packets of this kind.");
        var author = new Option<string>("--author") { Description = "Only packets by this node.", HelpName = "NODEID" };
        var limit = CliSymbols.Number("--limit", 1, 1000, "N", "Packets per page [default: 100].");
        var pageToken = new Option<string>("--page-token") { Description = "Continue where a page ended (its nextPageToken).", HelpName = "TOKEN" };
        var all = new Option<bool>("--all") { Description = "Follow the pages to the end." };
        var quarantine = new Option<bool>("--quarantine")
        {
            Description = "Instead: the packets from sandbox peers waiting in quarantine for a guardian (knowledge promote|reject), oldest first.",
        };
        var command = new Command("list", "Packets in receive order, filtered, a page at a time.") { topic, key, kind, author, limit, pageToken, all, quarantine };
        command.Validators.Add(result =>
        {
            if (result.GetResult(quarantine) is not null && new Option[] { topic, key, kind, author }.FirstOrDefault(o => result.GetResult(o) is not null) is { } filter)
            {
                result.AddError($"{filter.Name} does not go with --quarantine (the quarantine is listed whole, oldest first).");
            }
        });
        command.Action = new ApiAction(globals, console, async call =>
        {
            if (call.Value(quarantine))
            {
                return await QuarantineCommands.ListAsync(call, (int)call.Value(limit), call.Value(pageToken) ?? "", call.Value(all)).ConfigureAwait(false);
            }

            var client = new KnowledgeService.KnowledgeServiceClient(call.Channel);
            var request = new ListKnowledgeRequest
            {
                Topic = call.Value(topic) ?? "",
                Key = call.Value(key) ?? "",
                Kind = CliNames.Kinds.Parse(call.Value(kind)),
                Author = call.Value(author) ?? "",
                PageSize = (int)call.Value(limit),
                PageToken = call.Value(pageToken) ?? "",
            };
            var packets = new List<KnowledgePacket>();
            ListKnowledgeReply reply;
            do
            {
                reply = await client.ListAsync(request, call.Request()).ConfigureAwait(false);
                packets.AddRange(reply.Packets);
                request.PageToken = reply.NextPageToken;
            }
            while (call.Value(all) && reply.NextPageToken.Length > 0);

            if (call.Json)
            {
                await call.WriteJsonAsync(writer =>
                {
                    writer.WriteStartArray("packets");
                    foreach (var packet in packets)
                    {
                        ApiJson.WritePacket(writer, packet);
                    }

                    writer.WriteEndArray();
                    writer.WriteString("nextPageToken", reply.NextPageToken);
                }).ConfigureAwait(false);
                return NodeCtl.Ok;
            }

            var table = new TextTable("SEQ", "ID", "KIND", "TOPIC", "KEY", "AUTHOR", "TIME");
            foreach (var packet in packets)
            {
                table.Add(PacketText.Row(packet));
            }

            await call.WriteAsync(table.Render("no packets")).ConfigureAwait(false);
            if (reply.NextPageToken.Length > 0)
            {
                await call.Console.Error.WriteLineAsync($"more: --page-token {Display.OneLine(reply.NextPageToken)} (or --all for every page)").ConfigureAwait(false);
            }

            return NodeCtl.Ok;
        });
        return command;
    }

    public static Command Watch(GlobalOptions globals, CliConsole console)
    {
        var topic = new Option<string>("--topic") { Description = "Only packets of this topic.", HelpName = "TOPIC" };
        var kind = CliSymbols.Choice("--kind", CliNames.Kinds, "Only packets of this kind.");
        var author = new Option<string>("--author") { Description = "Only packets by this node.", HelpName = "NODEID" };
        var afterSeq = CliSymbols.Number("--after-seq", 0, long.MaxValue, "SEQ", "First the stored packets after this sequence [default: only new ones].");
        var command = new Command("watch", "Print packets as they are stored, until Ctrl-C.") { topic, kind, author, afterSeq };
        command.Action = new ApiAction(globals, console, async call =>
        {
            var request = new WatchKnowledgeRequest
            {
                Topic = call.Value(topic) ?? "",
                Kind = CliNames.Kinds.Parse(call.Value(kind)),
                Author = call.Value(author) ?? "",
                AfterSeq = call.Value(afterSeq),
                Replay = call.Given(afterSeq),
            };
            using var stream = new KnowledgeService.KnowledgeServiceClient(call.Channel).Watch(request, call.Stream());
            try
            {
                await foreach (var packet in stream.ResponseStream.ReadAllAsync(call.Cancellation).ConfigureAwait(false))
                {
                    await call.WriteLineAsync(call.Json
                        ? JsonText.Value(writer => ApiJson.WritePacket(writer, packet))
                        : string.Join("  ", PacketText.Row(packet))).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (Following.EndedByCtrlC(ex, call))
            {
            }

            return NodeCtl.Ok;
        });
        return command;
    }
}
