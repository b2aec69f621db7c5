using System.CommandLine;
using System.Globalization;
using Node.Cli.Output;
using Node.Protocol.Api;

namespace Node.Cli.Commands;

/// <summary><c>nodectl decisions list|approve|reject|stop|resume</c>: the decisions waiting for a guardian, the verdicts, and the guardian stop.</summary>
internal static class DecisionCommands
{
    public static Command Create(GlobalOptions globals, CliConsole console)
    {
        var decisions = new Command("decisions", "Decisions the node made or is waiting on a guardian for.");
        decisions.Subcommands.Add(List(globals, console));
        decisions.Subcommands.Add(Verdict(globals, console, approve: true));
        decisions.Subcommands.Add(Verdict(globals, console, approve: false));
        decisions.Subcommands.Add(Automatic(globals, console, stop: true));
        decisions.Subcommands.Add(Automatic(globals, console, stop: false));
        return decisions;
    }

    private static Command List(GlobalOptions globals, CliConsole console)
    {
        var status = CliSymbols.Choice("--status", CliNames.DecisionStatuses, "Only decisions with this status [default: pending].");
        var all = new Option<bool>("--all") { Description = "Decisions of every status." };
        var command = new Command("list", "Decisions, newest first; by default those waiting for a guardian.") { status, all };
        command.Validators.Add(result =>
        {
            if (result.GetResult(status) is not null && result.GetResult(all) is not null)
            {
                result.AddError("--status and --all cannot be used together.");
            }
        });
        command.Action = new ApiAction(globals, console, async call =>
        {
            var client = new DecisionService.DecisionServiceClient(call.Channel);
            var request = new ListDecisionsRequest { Status = CliNames.DecisionStatuses.Parse(call.Value(status)), All = call.Value(all) };
            var decisions = new List<Decision>();
            ListDecisionsReply reply;
            do
            {
                reply = await client.ListAsync(request, call.Request()).ConfigureAwait(false);
                decisions.AddRange(reply.Decisions);
                request.PageToken = reply.NextPageToken;
            }
            while (reply.NextPageToken.Length > 0);

            if (call.Json)
            {
                await call.WriteJsonAsync(writer =>
                {
                    writer.WriteStartArray("decisions");
                    foreach (var decision in decisions)
                    {
                        ApiJson.WriteDecision(writer, decision);
                    }

                    writer.WriteEndArray();
                }).ConfigureAwait(false);
                return NodeCtl.Ok;
            }

            var table = new TextTable("ID", "TYPE", "SUBJECT", "STATUS", "CONFIDENCE", "CREATED", "DECIDED BY", "REASON");
            foreach (var decision in decisions)
            {
                // A promotion's subject is a packet id: its first 16 hex digits tell it apart (the whole id is in --json).
                var subject = decision.Subject.Length == 0 ? "-" : decision.Subject.Length > 20 ? decision.Subject[..16] + "…" : decision.Subject;
                table.Add(decision.Id, decision.Type, subject, CliNames.DecisionStatuses.NameOf(decision.Status),
                    decision.Confidence.ToString("0.00", CultureInfo.InvariantCulture), Display.Time(decision.CreatedAt),
                    decision.DecidedBy.Length > 0 ? decision.DecidedBy : "-", decision.Reason);
            }

            await call.WriteAsync(table.Render(request.All ? "no decisions" : "no decisions waiting")).ConfigureAwait(false);
            return NodeCtl.Ok;
        });
        return command;
    }

    private static Command Verdict(GlobalOptions globals, CliConsole console, bool approve)
    {
        var id = new Argument<string>("ID") { Description = "The decision's id." };
        var reason = new Option<string>("--reason")
        {
            Description = "Why (required; recorded with the decision and in the event log).",
            HelpName = "TEXT",
            Required = true,
        }.NotBlank();
        var guardian = new Option<string>("--guardian") { Description = "Who decides [default: your user name, as the node sees it].", HelpName = "NAME" };
        var command = new Command(approve ? "approve" : "reject", approve ? "Approve a pending decision." : "Reject a pending decision.")
        {
            id, reason, guardian,
        };
        command.Action = new ApiAction(globals, console, async call =>
        {
            var client = new DecisionService.DecisionServiceClient(call.Channel);
            var verdict = new GuardianVerdict { Id = call.Required(id), Reason = call.Required(reason), Guardian = call.Value(guardian) ?? "" };
            var decision = await (approve ? client.ApproveAsync(verdict, call.Request()) : client.RejectAsync(verdict, call.Request())).ConfigureAwait(false);
            await (call.Json
                ? call.WriteLineAsync(JsonText.Value(writer => ApiJson.WriteDecision(writer, decision)))
                : call.WriteLineAsync($"decision {decision.Id} ({decision.Type}) {CliNames.DecisionStatuses.NameOf(decision.Status)} by {Display.OneLine(decision.DecidedBy)}: {Display.OneLine(decision.Reason)}"))
                .ConfigureAwait(false);
            return NodeCtl.Ok;
        });
        return command;
    }

    private static Command Automatic(GlobalOptions globals, CliConsole console, bool stop)
    {
        var reason = new Option<string>("--reason")
        {
            Description = stop ? "Why (required; recorded in the event log)." : "Why (recorded in the event log).",
            HelpName = "TEXT",
            Required = stop,
        }.NotBlank();
        var guardian = new Option<string>("--guardian") { Description = "Who [default: your user name, as the node sees it].", HelpName = "NAME" };
        var command = new Command(stop ? "stop" : "resume", stop
            ? "Stop all automatic approval: every decision waits for a guardian, across restarts, until resumed."
            : "Let decisions at or above their threshold be approved automatically again.")
        {
            reason, guardian,
        };
        command.Action = new ApiAction(globals, console, async call =>
        {
            var client = new DecisionService.DecisionServiceClient(call.Channel);
            var request = new GuardianStopRequest { Reason = call.Value(reason) ?? "", Guardian = call.Value(guardian) ?? "" };
            var automatic = await (stop ? client.StopAutomaticAsync(request, call.Request()) : client.ResumeAutomaticAsync(request, call.Request()))
                .ConfigureAwait(false);
            await (call.Json
                ? call.WriteJsonAsync(writer => ApiJson.WriteAutomatic(writer, automatic))
                : call.WriteLineAsync(ReasonCommands.Describe(automatic))).ConfigureAwait(false);
            return NodeCtl.Ok;
        });
        return command;
    }
}
