using System.CommandLine;
using Grpc.Core;
using Node.Cli.Output;
using Node.Protocol.Api;

namespace Node.Cli.Commands;

/// <summary><c>nodectl log verify|tail</c>: the hash-chained event log.</summary>
internal static class LogCommands
{
    public static Command Create(GlobalOptions globals, CliConsole console)
    {
        var log = new Command("log", "The node's hash-chained event log.");
        log.Subcommands.Add(Verify(globals, console));
        log.Subcommands.Add(Tail(globals, console));
        return log;
    }

    private static Command Verify(GlobalOptions globals, CliConsole console)
    {
        var command = new Command("verify", "Walk the event log's hash chain; exit 1 naming the first entry that does not chain.");
        command.Action = new ApiAction(globals, console, async call =>
        {
            var client = new LogService.LogServiceClient(call.Channel);
            var reply = await client.VerifyAsync(new VerifyLogRequest(), call.Request(TimeSpan.FromMinutes(10))).ConfigureAwait(false);
            if (call.Json)
            {
                await call.WriteJsonAsync(writer => ApiJson.WriteVerification(writer, reply)).ConfigureAwait(false);
            }
            else
            {
                await call.WriteLineAsync(reply.Intact
                    ? $"event log intact: {reply.Verified} entries verified, head {reply.HeadSeq} {Convert.ToHexStringLower(reply.HeadHash.Span)}"
                    : $"event log broken at entry {reply.FirstBadSeq}: {reply.Problem}").ConfigureAwait(false);
                if (reply.CorruptPackets > 0)
                {
                    // The log's verdict stands on the chain alone; the packets are the store's, named by a scrub.
                    await call.WriteLineAsync($"note: {reply.CorruptPackets} stored packet(s) marked corrupt (not served or synced); nodectl store scrub names them")
                        .ConfigureAwait(false);
                }
            }

            return reply.Intact ? NodeCtl.Ok : NodeCtl.Error;
        });
        return command;
    }

    private static Command Tail(GlobalOptions globals, CliConsole console)
    {
        var last = CliSymbols.Number("-n", 1, 10_000, "N", "How many of the newest entries to show first [default: 20].", "--lines");
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new entries until Ctrl-C." };
        var afterSeq = CliSymbols.Number("--after-seq", 0, long.MaxValue, "SEQ", "Start after this sequence instead of with the newest entries.");
        var command = new Command("tail", "The newest entries of the event log; with --follow, every new one until Ctrl-C.")
        {
            last, follow, afterSeq,
        };
        command.Validators.Add(result =>
        {
            if (result.GetResult(last) is not null && result.GetResult(afterSeq) is not null)
            {
                result.AddError("-n and --after-seq cannot be used together: -n counts back from the newest entry, --after-seq starts after a sequence.");
            }
        });
        command.Action = new ApiAction(globals, console, async call =>
        {
            var client = new LogService.LogServiceClient(call.Channel);
            var request = new TailLogRequest { Last = (int)call.Value(last), Follow = call.Value(follow), AfterSeq = call.Value(afterSeq) };
            using var stream = client.Tail(request, call.Stream());
            try
            {
                await foreach (var entry in stream.ResponseStream.ReadAllAsync(call.Cancellation).ConfigureAwait(false))
                {
                    await (call.Json
                        ? call.WriteJsonAsync(writer => ApiJson.WriteLogEvent(writer, entry))
                        : call.WriteLineAsync($"{entry.Seq,8}  {Display.Time(entry.Time)}  {entry.Kind,-24}  {Display.OneLine(entry.Payload)}")).ConfigureAwait(false);
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
