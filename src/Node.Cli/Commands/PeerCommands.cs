using System.CommandLine;
using Node.Cli.Output;
using Node.Protocol.Api;

namespace Node.Cli.Commands;

/// <summary><c>nodectl peers list|add|trust|forget</c>: the peers this node knows and their trust tiers.</summary>
internal static class PeerCommands
{
    public static Command Create(GlobalOptions globals, CliConsole console)
    {
        var peers = new Command("peers", "The peers this node knows (discovered or added by hand) and their trust tiers.");
        peers.Subcommands.Add(List(globals, console));
        peers.Subcommands.Add(Add(globals, console));
        peers.Subcommands.Add(Trust(globals, console));
        peers.Subcommands.Add(Forget(globals, console));
        peers.Subcommands.Add(Show(globals, console));
        return peers;
    }

    private static Command List(GlobalOptions globals, CliConsole console)
    {
        var command = new Command("list", "Every known peer: node id, name, tier, its link (state, round trip, last heartbeat), where it was found.");
        command.Action = new ApiAction(globals, console, async call =>
        {
            var reply = await new PeerService.PeerServiceClient(call.Channel).ListAsync(new ListPeersRequest(), call.Request()).ConfigureAwait(false);
            if (call.Json)
            {
                await call.WriteJsonAsync(writer =>
                {
                    writer.WriteStartArray("peers");
                    foreach (var peer in reply.Peers)
                    {
                        ApiJson.WritePeer(writer, peer);
                    }

                    writer.WriteEndArray();
                }).ConfigureAwait(false);
                return NodeCtl.Ok;
            }

            var table = new TextTable("NODE ID", "NAME", "TIER", "LINK", "RTT", "LAST HEARTBEAT", "SOURCE", "ADDRESSES");
            foreach (var peer in reply.Peers)
            {
                var link = peer.Link ?? new PeerLink();
                table.Add(peer.NodeId.Length > 0 ? peer.NodeId : "(not yet contacted)", peer.Name, CliNames.Tiers.NameOf(peer.Tier),
                    link.State.Length > 0 ? link.State : "never", link.RttUs > 0 ? $"{link.RttUs / 1000.0:0.0} ms" : "-",
                    Display.Time(link.LastHeartbeatAt), peer.Source, string.Join(", ", peer.Addresses));
            }

            await call.WriteAsync(table.Render("no peers")).ConfigureAwait(false);
            return NodeCtl.Ok;
        });
        return command;
    }

    private static Command Add(GlobalOptions globals, CliConsole console)
    {
        var address = new Argument<string>("HOST:PORT") { Description = "Where the peer listens (an IPv6 address as [ADDR]:PORT)." };
        address.Validators.AddHostPortCheck("HOST:PORT");
        var id = new Option<string>("--id") { Description = "The peer's node id, when known: it is registered at once (tier unknown).", HelpName = "NODEID" };
        var name = new Option<string>("--name") { Description = "A name for the peer.", HelpName = "NAME" };
        var command = new Command("add", "Add a static peer by address (no multicast needed).") { address, id, name };
        command.Action = new ApiAction(globals, console, async call =>
        {
            var request = new AddPeerRequest { Address = call.Required(address), NodeId = call.Value(id) ?? "", Name = call.Value(name) ?? "" };
            var peer = await new PeerService.PeerServiceClient(call.Channel).AddAsync(request, call.Request()).ConfigureAwait(false);
            await WritePeerAsync(call, peer, $"added peer {Describe(peer, request.Address)}").ConfigureAwait(false);
            return NodeCtl.Ok;
        });
        return command;
    }

    private static Command Trust(GlobalOptions globals, CliConsole console)
    {
        var nodeId = new Argument<string>("NODEID") { Description = "The peer's node id." };
        var tier = CliSymbols.ChoiceArgument("TIER", CliNames.Tiers, "The trust tier");
        var reason = new Option<string>("--reason") { Description = "Why (recorded in the event log).", HelpName = "TEXT" };
        var command = new Command("trust", "Set a peer's trust tier.") { nodeId, tier, reason };
        command.Action = new ApiAction(globals, console, async call =>
        {
            var request = new SetTrustRequest { NodeId = call.Required(nodeId), Tier = CliNames.Tiers.Parse(call.Required(tier)), Reason = call.Value(reason) ?? "" };
            var peer = await new PeerService.PeerServiceClient(call.Channel).SetTrustAsync(request, call.Request()).ConfigureAwait(false);
            await WritePeerAsync(call, peer, $"peer {Describe(peer, request.NodeId)} is now {CliNames.Tiers.NameOf(peer.Tier)}").ConfigureAwait(false);
            return NodeCtl.Ok;
        });
        return command;
    }

    private static Command Show(GlobalOptions globals, CliConsole console)
    {
        var nodeId = new Argument<string>("NODEID") { Description = "The peer's node id." };
        var command = new Command("show", "One peer: its tier, its link and why it is not up, and its verified manifest (certificate fingerprint, addresses).")
        {
            nodeId,
        };
        command.Action = new ApiAction(globals, console, async call =>
        {
            var detail = await new PeerService.PeerServiceClient(call.Channel).GetAsync(new GetPeerRequest { NodeId = call.Required(nodeId) }, call.Request())
                .ConfigureAwait(false);
            if (call.Json)
            {
                await call.WriteJsonAsync(writer => ApiJson.WritePeerDetail(writer, detail)).ConfigureAwait(false);
                return NodeCtl.Ok;
            }

            await call.WriteAsync(ShowText(detail)).ConfigureAwait(false);
            return NodeCtl.Ok;
        });
        return command;
    }

    /// <summary>The text of <c>peers show</c>.</summary>
    public static string ShowText(PeerDetail detail)
    {
        var c = System.Globalization.CultureInfo.InvariantCulture;
        var peer = detail.Peer ?? new Peer();
        var link = peer.Link ?? new PeerLink();
        var text = new System.Text.StringBuilder();
        text.Append("node id:      ").AppendLine(peer.NodeId);
        text.Append("name:         ").AppendLine(Display.OneLine(peer.Name));
        text.Append("tier:         ").AppendLine(CliNames.Tiers.NameOf(peer.Tier));
        text.Append("link:         ").Append(link.State.Length > 0 ? link.State : "never");
        text.AppendLine(link.Direction.Length > 0 ? $" ({link.Direction}{(link.RttUs > 0 ? string.Create(c, $", rtt {link.RttUs / 1000.0:0.0} ms") : "")})" : "");
        text.Append("heartbeat:    ").AppendLine(Display.Time(link.LastHeartbeatAt));
        if (link.Problem.Length > 0)
        {
            text.Append("not up:       ").Append(Display.OneLine(link.Problem)).Append(" (").Append(Display.Time(link.ProblemAt)).AppendLine(")");
        }

        if (link.HasClockSkewMs)
        {
            var skew = link.ClockSkewMs / 1000.0;
            text.Append("clock:        ").AppendLine(Math.Abs(skew) < 1
                ? "within a second of this node's"
                : string.Create(c, $"{Math.Abs(skew):0} s {(skew > 0 ? "ahead of" : "behind")} this node's{(Math.Abs(skew) >= 60 ? " (check both clocks)" : "")}"));
        }

        text.Append("addresses:    ").AppendLine(string.Join(", ", peer.Addresses));
        text.Append("source:       ").AppendLine(peer.Source);
        if (detail.RotatedTo.Length > 0)
        {
            text.Append("rotated to:   ").AppendLine(detail.RotatedTo);
        }

        if (detail.Manifest is not { } m)
        {
            text.AppendLine("manifest:     none held (never reached)");
            return text.ToString();
        }

        text.Append("manifest:     ").Append(m.ManifestSha256).AppendLine(m.ValidNow ? "" : " (not valid now)");
        text.Append("  issued:     ").Append(Display.Time(m.IssuedAt)).Append(", expires ").AppendLine(Display.Time(m.ExpiresAt));
        text.Append("  certificate sha256 ").AppendLine(m.CertificateSha256);
        text.Append("  name:       ").AppendLine(Display.OneLine(m.Name));
        text.Append("  addresses:  ").AppendLine(m.Addresses.Count == 0 ? "-" : string.Join(", ", m.Addresses.Select(Display.OneLine)));
        text.Append("  peer port:  ").AppendLine(m.PeerPort.ToString(c));
        text.Append("  software:   ").AppendLine(Display.OneLine(m.SoftwareVersion));
        text.Append("  offers:     ").AppendLine(m.Capabilities.Count == 0 ? "-" : string.Join(", ", m.Capabilities.Select(Display.OneLine)));
        return text.ToString();
    }

    private static Command Forget(GlobalOptions globals, CliConsole console)
    {
        var nodeId = new Argument<string?>("NODEID") { Description = "The peer's node id.", Arity = ArgumentArity.ZeroOrOne };
        var address = new Option<string>("--address") { Description = "Forget the static peer at this address instead.", HelpName = "HOST:PORT" };
        address.Validators.AddHostPortCheck("--address");
        var command = new Command("forget", "Forget a peer, by node id or static address (its packets stay).") { nodeId, address };
        command.Validators.Add(result =>
        {
            var (hasId, hasAddress) = (result.GetResult(nodeId) is { Tokens.Count: > 0 }, result.GetResult(address) is not null);
            if (hasId == hasAddress)
            {
                result.AddError(hasId ? "give a NODEID or --address, not both." : "give the peer's NODEID, or --address HOST:PORT.");
            }
        });
        command.Action = new ApiAction(globals, console, async call =>
        {
            var request = call.Value(nodeId) is { } id ? new ForgetPeerRequest { NodeId = id } : new ForgetPeerRequest { Address = call.Required(address) };
            var reply = await new PeerService.PeerServiceClient(call.Channel).ForgetAsync(request, call.Request()).ConfigureAwait(false);
            var which = request.HasNodeId ? $"node id {request.NodeId}" : $"address {request.Address}";
            if (call.Json)
            {
                await call.WriteJsonAsync(writer => writer.WriteNumber("forgotten", reply.Forgotten)).ConfigureAwait(false);
            }
            else if (reply.Forgotten > 0)
            {
                await call.WriteLineAsync($"forgot {reply.Forgotten} peer{(reply.Forgotten == 1 ? "" : "s")} ({which})").ConfigureAwait(false);
            }

            return reply.Forgotten > 0 ? NodeCtl.Ok : await call.FailAsync($"no peer with {which}; nothing forgotten").ConfigureAwait(false);
        });
        return command;
    }

    private static string Describe(Peer peer, string fallback)
    {
        var who = Display.OneLine(peer.NodeId.Length > 0 ? peer.NodeId : fallback);
        return peer.Name.Length > 0 ? $"{Display.OneLine(peer.Name)} ({who})" : who;
    }

    private static Task WritePeerAsync(ApiCall call, Peer peer, string text) =>
        call.Json ? call.WriteLineAsync(JsonText.Value(writer => ApiJson.WritePeer(writer, peer))) : call.WriteLineAsync(text);
}
