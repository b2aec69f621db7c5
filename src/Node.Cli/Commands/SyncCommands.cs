using System.CommandLine;
using System.Text.Json;
using Node.Cli.Output;
using Node.Protocol.Api;

namespace Node.Cli.Commands;

/// <summary><c>nodectl federation status|sync|auto-sync</c>: knowledge sync with the linked peers.</summary>
internal static class SyncCommands
{
    /// <summary>How often <c>sync --wait</c> reads the status.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>How long <c>sync --wait</c> waits when not told.</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromMinutes(10);

    /// <summary>The waits <c>--timeout</c> accepts.</summary>
    public static readonly TimeSpan MinWait = TimeSpan.FromSeconds(1), MaxWait = TimeSpan.FromHours(24);

    public static Command Status(GlobalOptions globals, CliConsole console)
    {
        var command = new Command("status",
            "Knowledge sync with each peer: link, phase, view, last round, packets and bytes each way, rate, what is still to receive and to send.");
        command.Action = new ApiAction(globals, console, async call =>
        {
            var status = await Client(call).GetSyncStatusAsync(new GetSyncStatusRequest(), call.Request()).ConfigureAwait(false);
            return await call.ShowAsync(writer => ApiJson.WriteSyncStatus(writer, status), () => SyncText.Status(status)).ConfigureAwait(false);
        });
        return command;
    }

    public static Command Sync(GlobalOptions globals, CliConsole console)
    {
        var nodeId = new Argument<string?>("NODEID") { Description = "The peer [default: every linked core and sandbox peer].", Arity = ArgumentArity.ZeroOrOne };
        var audit = new Option<bool>("--audit") { Description = "A full reconciliation of the two sets rather than a catch-up." };
        var wait = new Option<bool>("--wait") { Description = "Wait until every round has ended (progress on a terminal); exit 1 naming each that failed." };
        var timeout = CliSymbols.Duration("--timeout", MinWait, MaxWait, "DURATION",
            $"With --wait: give up after this long, such as 90s or 30m (1s to 1440m); default {Display.Duration(DefaultWait)}. Ctrl-C also stops waiting; the rounds go on.");
        var command = new Command("sync", "Start a sync round now with a peer, or with every linked core and sandbox peer.") { nodeId, audit, wait, timeout };
        command.Validators.Add(result =>
        {
            if (result.GetResult(timeout) is not null && result.GetResult(wait) is null)
            {
                result.AddError("--timeout goes with --wait.");
            }
        });
        command.Action = new ApiAction(globals, console, async call =>
        {
            var client = Client(call);
            // Read first: what arrives after it is what this wait received.
            var before = call.Value(wait) ? await client.GetSyncStatusAsync(new GetSyncStatusRequest(), call.Request()).ConfigureAwait(false) : null;
            var reply = await client.SyncAsync(new SyncRequest { NodeId = call.Value(nodeId) ?? "", Audit = call.Value(audit) }, call.Request())
                .ConfigureAwait(false);
            if (reply.NodeIds.Count == 0)
            {
                return await call.FailAsync("no core or sandbox peer is linked now: no round was asked for (see nodectl peers list)").ConfigureAwait(false);
            }

            if (before is null)
            {
                return await call.ShowAsync(writer => ApiJson.WriteSyncRequest(writer, reply), () =>
                    $"{(call.Value(audit) ? "an audit" : "a round")} asked of {string.Join(", ", reply.NodeIds)}; " +
                    "see nodectl federation status, or add --wait\n").ConfigureAwait(false);
            }

            var limit = call.Value(timeout) is { } given && given > TimeSpan.Zero ? given : DefaultWait;
            return await FollowAsync(call, client, new SyncWait(reply, before), reply, limit).ConfigureAwait(false);
        });
        return command;
    }

    public static Command AutoSync(GlobalOptions globals, CliConsole console)
    {
        var state = new Argument<string>("SWITCH")
        {
            Description = "on: rounds run on their own (catch-up, audit); off: only when asked (nodectl federation sync). Kept across restarts.",
            HelpName = "on|off",
        };
        state.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } value && value is not ("on" or "off"))
            {
                result.AddError($"SWITCH: '{value}' is not one of on, off.");
            }
        });
        state.CompletionSources.Add("on", "off");
        var command = new Command("auto-sync", "Switch automatic sync rounds on or off.") { state };
        command.Action = new ApiAction(globals, console, async call =>
        {
            var status = await Client(call).SetAutoSyncAsync(new SetAutoSyncRequest { On = call.Required(state) == "on" }, call.Request()).ConfigureAwait(false);
            return await call.ShowAsync(writer => ApiJson.WriteSyncStatus(writer, status), () => $"auto-sync: {SyncText.AutoSync(status.AutoSync)}\n")
                .ConfigureAwait(false);
        });
        return command;
    }

    // Reads the status every PollInterval until every round asked for has ended, or the time is up.
    private static async Task<int> FollowAsync(ApiCall call, FederationService.FederationServiceClient client, SyncWait wait, SyncReply reply, TimeSpan limit)
    {
        var time = call.Console.Time;
        var started = time.GetTimestamp();
        var progress = new ProgressLine(call.Console.Error, enabled: call.Console.ErrorIsTerminal && !call.Json);
        try
        {
            while (true)
            {
                var now = await client.GetSyncStatusAsync(new GetSyncStatusRequest(), call.Request()).ConfigureAwait(false);
                var ended = wait.Take(now);
                if (!wait.Done && time.GetElapsedTime(started) >= limit)
                {
                    ended = [.. ended, .. wait.GiveUp(limit, now)];
                }

                if (ended.Count > 0)
                {
                    await progress.ClearAsync().ConfigureAwait(false);
                    await ReportAsync(call, ended).ConfigureAwait(false);
                }

                if (wait.Done)
                {
                    break;
                }

                await progress.ShowAsync(wait.Progress(now)).ConfigureAwait(false);
                await Task.Delay(PollInterval, time, call.Cancellation).ConfigureAwait(false);
            }
        }
        finally
        {
            await progress.ClearAsync().ConfigureAwait(false);
        }

        if (call.Json)
        {
            await call.WriteJsonAsync(writer => WriteRounds(writer, reply, wait.Rounds)).ConfigureAwait(false);
        }

        return wait.Rounds.All(r => r.Ok) ? NodeCtl.Ok : NodeCtl.Error;
    }

    // A round that ended well is a line of output; one that did not, a line on standard error naming the peer and why.
    private static async Task ReportAsync(ApiCall call, IReadOnlyList<RoundEnd> ended)
    {
        foreach (var end in ended)
        {
            if (!end.Ok)
            {
                await call.Console.Error.WriteLineAsync($"nodectl: {Display.Lines(end.Describe())}").ConfigureAwait(false);
            }
            else if (!call.Json)
            {
                await call.WriteLineAsync(end.Describe()).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The members of <c>sync --wait --json</c>: what was asked, <c>ok</c>, and each round's end.</summary>
    internal static void WriteRounds(Utf8JsonWriter writer, SyncReply reply, IReadOnlyList<RoundEnd> rounds)
    {
        ApiJson.WriteSyncRequest(writer, reply);
        writer.WriteBoolean("ok", rounds.All(r => r.Ok));
        writer.WriteStartArray("rounds");
        foreach (var round in rounds)
        {
            writer.WriteStartObject();
            writer.WriteString("nodeId", round.NodeId);
            writer.WriteBoolean("ok", round.Ok);
            writer.WriteString("result", round.Result);
            writer.WriteString("kind", round.Kind);
            writer.WriteNumber("startedAt", round.StartedAt);
            writer.WriteNumber("endedAt", round.EndedAt);
            writer.WriteNumber("packetsReceived", round.Received);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static FederationService.FederationServiceClient Client(ApiCall call) => new(call.Channel);
}
