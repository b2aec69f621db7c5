using System.CommandLine;
using System.Text;
using Node.Cli.Output;
using Node.Protocol.Api;

namespace Node.Cli.Commands;

/// <summary><c>nodectl status</c>: who the node is, its store, its subsystems.</summary>
internal static class StatusCommand
{
    public static Command Create(GlobalOptions globals, CliConsole console)
    {
        var command = new Command("status", "Who the node is, its store and its subsystems.");
        command.Action = new ApiAction(globals, console, RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ApiCall call)
    {
        var client = new NodeService.NodeServiceClient(call.Channel);
        var status = await client.GetStatusAsync(new GetStatusRequest(), call.Request(TimeSpan.FromSeconds(10))).ConfigureAwait(false);
        if (call.Json)
        {
            await call.WriteJsonAsync(writer => ApiJson.WriteStatus(writer, status)).ConfigureAwait(false);
            return NodeCtl.Ok;
        }

        var store = status.Store ?? new StoreStats();
        var text = new StringBuilder()
            .Append($"node       {status.Name} ({status.NodeId})\n")
            .Append($"version    {status.Version}, pid {status.Pid}, up {TimeSpan.FromSeconds(Math.Floor(status.UptimeSeconds))}\n")
            .Append($"store      {store.Packets} packets, {store.HeldPackets} held, ")
            .Append(store.CorruptPackets > 0 ? $"{store.CorruptPackets} corrupt, " : "")
            .Append($"{store.Events} events, {store.DatabaseBytes / 1024} KiB")
            .Append(store.Epoch.Length > 0 ? $", epoch {store.Epoch}\n" : "\n");
        foreach (var subsystem in status.Subsystems)
        {
            text.Append($"  {subsystem.Name,-16} {subsystem.State,-9} {Display.OneLine(subsystem.Detail)}\n");
        }

        await call.WriteAsync(text.ToString()).ConfigureAwait(false);
        return NodeCtl.Ok;
    }
}
