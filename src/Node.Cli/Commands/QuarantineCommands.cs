using System.CommandLine;
using Node.Cli.Output;
using Node.Protocol.Api;

namespace Node.Cli.Commands;

/// <summary>
/// <c>nodectl knowledge retract|promote|reject</c> and <c>list --quarantine</c>: take back a packet
/// this node authored, and a guardian's word on the packets sandbox peers sent.
/// </summary>
internal static class QuarantineCommands
{
    public static Command Retract(GlobalOptions globals, CliConsole console)
    {
        var id = new Argument<string?>("ID") { Description = "The packet's id (64 hex characters); this node must have authored it." }.PacketId();
        var command = new Command("retract",
            "Retract a packet this node authored: a signed retraction that syncs like any packet removes it here and on every peer, for good.") { id };
        command.Action = new ApiAction(globals, console, async call =>
        {
            var target = call.Required(id)!.ToLowerInvariant();
            var reply = await new KnowledgeService.KnowledgeServiceClient(call.Channel).RetractAsync(new RetractRequest { Id = target }, call.Request())
                .ConfigureAwait(false);
            await (call.Json
                ? call.WriteJsonAsync(writer =>
                {
                    writer.WriteString("retracted", target);
                    writer.WriteString("id", reply.Id);
                    writer.WriteNumber("seq", reply.Seq);
                    writer.WriteBoolean("created", reply.Created);
                })
                : call.WriteLineAsync($"retracted {target} (retraction {reply.Id})")).ConfigureAwait(false);
            return NodeCtl.Ok;
        });
        return command;
    }

    public static Command Verdict(GlobalOptions globals, CliConsole console, bool promote)
    {
        var id = new Argument<string?>("ID") { Description = "The quarantined packet's id (64 hex characters; see knowledge list --quarantine)." }.PacketId();
        var reason = new Option<string>("--reason") { Description = "Why (recorded in the event log with who decided).", HelpName = "TEXT" }.NotBlank();
        var command = new Command(promote ? "promote" : "reject", promote
            ? "Promote a packet from quarantine to the knowledge base (guardian; checked again as it goes in)."
            : "Reject a packet in quarantine: dropped, and not taken again from any peer (guardian).")
        {
            id, reason,
        };
        command.Action = new ApiAction(globals, console, async call =>
        {
            var client = new KnowledgeService.KnowledgeServiceClient(call.Channel);
            var verdict = new QuarantineVerdict { Id = call.Required(id)!.ToLowerInvariant(), Reason = call.Value(reason) ?? "" };
            if (promote)
            {
                var packet = await client.PromoteAsync(verdict, call.Request()).ConfigureAwait(false);
                await (call.Json
                    ? call.WriteLineAsync(JsonText.Value(writer => ApiJson.WritePacket(writer, packet)))
                    : call.WriteLineAsync(packet.Seq > 0
                        ? $"promoted {packet.Id} to the knowledge base (seq {packet.Seq})"
                        : $"promoted {packet.Id}: held until the packets it depends on arrive")).ConfigureAwait(false);
                return NodeCtl.Ok;
            }

            var rejected = await client.RejectAsync(verdict, call.Request()).ConfigureAwait(false);
            await (call.Json
                ? call.WriteLineAsync(JsonText.Value(writer => ApiJson.WriteQuarantined(writer, rejected)))
                : call.WriteLineAsync($"rejected {rejected.Packet?.Id ?? verdict.Id} from {rejected.FromPeer}: dropped, and not taken again")).ConfigureAwait(false);
            return NodeCtl.Ok;
        });
        return command;
    }

    /// <summary>The pages of the quarantine, for <c>knowledge list --quarantine</c>.</summary>
    public static async Task<int> ListAsync(ApiCall call, int pageSize, string pageToken, bool all)
    {
        var client = new KnowledgeService.KnowledgeServiceClient(call.Channel);
        var request = new ListQuarantineRequest { PageSize = pageSize, PageToken = pageToken };
        var held = new List<QuarantinedPacket>();
        ListQuarantineReply reply;
        do
        {
            reply = await client.ListQuarantineAsync(request, call.Request()).ConfigureAwait(false);
            held.AddRange(reply.Packets);
            request.PageToken = reply.NextPageToken;
        }
        while (all && reply.NextPageToken.Length > 0);

        if (call.Json)
        {
            await call.WriteJsonAsync(writer =>
            {
                writer.WriteStartArray("packets");
                foreach (var packet in held)
                {
                    ApiJson.WriteQuarantined(writer, packet);
                }

                writer.WriteEndArray();
                writer.WriteString("nextPageToken", reply.NextPageToken);
            }).ConfigureAwait(false);
            return NodeCtl.Ok;
        }

        // The whole id: the next step (promote, reject) needs it.
        var table = new TextTable("ID", "KIND", "TOPIC", "KEY", "AUTHOR", "FROM PEER", "RECEIVED", "REASON");
        foreach (var entry in held)
        {
            var packet = entry.Packet ?? new KnowledgePacket();
            table.Add(packet.Id, CliNames.Kinds.NameOf(packet.Kind), packet.Topic, packet.Key, Display.Prefix(packet.Author, 7), entry.FromPeer,
                Display.Time(entry.ReceivedAt), entry.Reason.Length > 0 ? entry.Reason : "-");
        }

        await call.WriteAsync(table.Render("nothing in quarantine")).ConfigureAwait(false);
        if (reply.NextPageToken.Length > 0)
        {
            await call.Console.Error.WriteLineAsync($"more: --page-token {Display.OneLine(reply.NextPageToken)} (or --all for every page)").ConfigureAwait(false);
        }

        return NodeCtl.Ok;
    }
}
