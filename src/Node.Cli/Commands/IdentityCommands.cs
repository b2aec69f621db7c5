using System.CommandLine;
using System.Text;
using Node.Cli.Output;
using Node.Protocol.Api;

namespace Node.Cli.Commands;

/// <summary><c>nodectl identity show|rotate</c>: the node's id, its key rotations, and a rotation on purpose.</summary>
internal static class IdentityCommands
{
    public static Command Create(GlobalOptions globals, CliConsole console)
    {
        var identity = new Command("identity", "The node's identity: its id, its key rotations, and a new key on purpose.");
        identity.Subcommands.Add(Show(globals, console));
        identity.Subcommands.Add(Rotate(globals, console));
        return identity;
    }

    private static Command Show(GlobalOptions globals, CliConsole console)
    {
        var command = new Command("show", "The node id, its public key, the rotations that led to it and one waiting for the next start.");
        command.Action = new ApiAction(globals, console, async call =>
        {
            var reply = await new NodeService.NodeServiceClient(call.Channel).GetIdentityAsync(new GetIdentityRequest(), call.Request()).ConfigureAwait(false);
            return await call.ShowAsync(writer => ApiJson.WriteIdentity(writer, reply), () => Render(reply)).ConfigureAwait(false);
        });
        return command;
    }

    private static Command Rotate(GlobalOptions globals, CliConsole console)
    {
        var command = new Command("rotate",
            "Make a new identity key, vouched for by the current one. It takes effect when the node next starts: the new key becomes " +
            "identity.key, the old one is destroyed, and peers that trust the old id carry their trust to the new one. Needs the admin scope; " +
            "refused while a rotation waits.");
        command.Action = new ApiAction(globals, console, async call =>
        {
            var reply = await new NodeService.NodeServiceClient(call.Channel).RotateIdentityAsync(new RotateIdentityRequest(), call.Request())
                .ConfigureAwait(false);
            return await call.ShowAsync(writer => ApiJson.WriteRotation(writer, reply), () => Render(reply)).ConfigureAwait(false);
        });
        return command;
    }

    internal static string Render(NodeIdentityInfo info)
    {
        var text = new StringBuilder()
            .Append($"node id     {info.NodeId}\n")
            .Append($"public key  {info.PublicKey}\n")
            .Append(info.Rotations.Count == 0 ? "rotations   none\n" : $"rotations   {info.Rotations.Count} (peers are sent the newest 4)\n");
        foreach (var rotation in info.Rotations)
        {
            text.Append($"  {rotation.OldNodeId} -> {rotation.NewNodeId}  asked {Display.Time(rotation.RequestedAt)}, applied {Display.Time(rotation.AppliedAt)}\n");
        }

        if (info.Pending is { } pending)
        {
            text.Append($"pending     {pending.OldNodeId} -> {pending.NewNodeId}  asked {Display.Time(pending.RequestedAt)}; takes effect when the node next starts\n");
        }

        return text.ToString();
    }

    internal static string Render(RotateIdentityReply reply) =>
        $"""
        key rotation asked for: node {reply.OldNodeId} becomes {reply.NewNodeId} when it next starts.
        Restart the node to apply it (systemctl restart sovereign-node); until then it keeps its id.
        At that start the new key becomes identity.key and the old one is destroyed; peers that trust {reply.OldNodeId}
        carry that trust to {reply.NewNodeId} when it next says Hello to them.

        """;
}
