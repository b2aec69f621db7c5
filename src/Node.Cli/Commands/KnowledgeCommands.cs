using System.CommandLine;
using Node.Cli.Output;
using Node.Protocol.Api;

namespace Node.Cli.Commands;

/// <summary><c>nodectl knowledge put|get|list|watch|retract|promote|reject</c>: knowledge packets.</summary>
internal static class KnowledgeCommands
{
    public static Command Create(GlobalOptions globals, CliConsole console)
    {
        var knowledge = new Command("knowledge",
            "Knowledge packets: put one, get one, list them, watch them arrive, retract this node's own, promote or reject those in quarantine.");
        knowledge.Subcommands.Add(Put(globals, console));
        knowledge.Subcommands.Add(Get(globals, console));
        knowledge.Subcommands.Add(KnowledgeQueries.List(globals, console));
        knowledge.Subcommands.Add(KnowledgeQueries.Watch(globals, console));
        knowledge.Subcommands.Add(QuarantineCommands.Retract(globals, console));
        knowledge.Subcommands.Add(QuarantineCommands.Verdict(globals, console, promote: true));
        knowledge.Subcommands.Add(QuarantineCommands.Verdict(globals, console, promote: false));
        return knowledge;
    }

    private static Command Put(GlobalOptions globals, CliConsole console)
    {
        var topic = new Option<string>("--topic") { Description = "The slot's topic.", HelpName = "TOPIC", Required = true }.NotBlank();
        var key = new Option<string>("--key") { Description = "The slot's key.", HelpName = "KEY", Required = true }.NotBlank();
        var content = new Option<string>("--content") { Description = "The content, as text.", HelpName = "TEXT" };
        var file = new Option<string>("--file") { Description = "Read the content from FILE; - reads standard input.", HelpName = "FILE" }.NotBlank();
        var kind = CliSymbols.Choice("--kind", CliNames.PutKinds, "What the packet is [default: note].");
        var mediaType = new Option<string>("--media-type") { Description = "The content's media type [default: text/plain; charset=utf-8].", HelpName = "TYPE" };
        var scope = CliSymbols.Choice("--scope", CliNames.Scopes, "Who may receive it [default: local: it never leaves the node].");
        var dependsOn = new Option<string[]>("--depends-on") { Description = "A packet this one builds on (repeat for more).", HelpName = "ID" }.PacketIds();
        var supersedes = new Option<string[]>("--supersedes") { Description = "A packet this one replaces (repeat for more).", HelpName = "ID" }.PacketIds();
        var command = new Command("put", "Sign and store a packet authored by this node; prints its id.")
        {
            topic, key, content, file, kind, mediaType, scope, dependsOn, supersedes,
        };
        command.Validators.Add(result =>
        {
            var (hasContent, hasFile) = (result.GetResult(content) is not null, result.GetResult(file) is not null);
            if (hasContent && hasFile)
            {
                result.AddError("--content and --file cannot be used together.");
            }
            else if (!hasContent && !hasFile)
            {
                result.AddError("give the content: --content TEXT, or --file FILE (- for standard input).");
            }
        });
        command.Action = new ApiAction(globals, console, async call =>
        {
            var (bytes, problem) = await PacketContent.ReadAsync(call.Value(content), call.Value(file), call.Console, call.Cancellation).ConfigureAwait(false);
            if (bytes is null)
            {
                return await call.FailAsync(problem!).ConfigureAwait(false);
            }

            var request = new PutKnowledgeRequest
            {
                Topic = call.Required(topic),
                Key = call.Required(key),
                Kind = CliNames.PutKinds.Parse(call.Value(kind)),
                MediaType = call.Value(mediaType) ?? "",
                Content = Google.Protobuf.ByteString.CopyFrom(bytes),
                Scope = CliNames.Scopes.Parse(call.Value(scope)),
                Dependencies = { (call.Value(dependsOn) ?? []).Select(id => id.ToLowerInvariant()) },
                Supersedes = { (call.Value(supersedes) ?? []).Select(id => id.ToLowerInvariant()) },
            };
            var reply = await new KnowledgeService.KnowledgeServiceClient(call.Channel).PutAsync(request, call.Request()).ConfigureAwait(false);
            await (call.Json
                ? call.WriteJsonAsync(writer =>
                {
                    writer.WriteString("id", reply.Id);
                    writer.WriteNumber("seq", reply.Seq);
                    writer.WriteBoolean("created", reply.Created);
                })
                : call.WriteLineAsync(reply.Id)).ConfigureAwait(false);
            return NodeCtl.Ok;
        });
        return command;
    }

    private static Command Get(GlobalOptions globals, CliConsole console)
    {
        var id = new Argument<string?>("ID") { Description = "The packet's id (64 hex characters).", Arity = ArgumentArity.ZeroOrOne }.PacketId();
        var topic = new Option<string>("--topic") { Description = "The slot's topic: get its current value.", HelpName = "TOPIC" }.NotBlank();
        var key = new Option<string>("--key") { Description = "The slot's key.", HelpName = "KEY" }.NotBlank();
        var command = new Command("get", "A packet by id, or the current value of a topic+key slot.") { id, topic, key };
        command.Validators.Add(result =>
        {
            var (hasId, hasTopic, hasKey) = (result.GetResult(id) is { Tokens.Count: > 0 }, result.GetResult(topic) is not null, result.GetResult(key) is not null);
            if (hasId && (hasTopic || hasKey))
            {
                result.AddError("give a packet ID or --topic and --key, not both.");
            }
            else if (!hasId && !(hasTopic && hasKey))
            {
                result.AddError(hasTopic || hasKey ? "--topic and --key go together." : "give a packet ID, or --topic TOPIC --key KEY.");
            }
        });
        command.Action = new ApiAction(globals, console, async call =>
        {
            var request = call.Value(id) is { } packetId
                ? new GetKnowledgeRequest { Id = packetId.ToLowerInvariant() }
                : new GetKnowledgeRequest { Slot = new Slot { Topic = call.Required(topic), Key = call.Required(key) } };
            var packet = await new KnowledgeService.KnowledgeServiceClient(call.Channel).GetAsync(request, call.Request()).ConfigureAwait(false);
            await (call.Json
                ? call.Console.Output.WriteLineAsync(JsonText.Value(writer => ApiJson.WritePacket(writer, packet)))
                : call.WriteAsync(PacketText.Describe(packet))).ConfigureAwait(false);
            return NodeCtl.Ok;
        });
        return command;
    }
}
