using System.CommandLine;
using System.Globalization;
using System.Text;
using Node.Cli.Output;
using Node.Protocol.Api;

namespace Node.Cli.Commands;

/// <summary><c>nodectl reason status</c>: the reasoning pipeline's reasoners, latency, calibration and the guardian stop.</summary>
internal static class ReasonCommands
{
    public static Command Create(GlobalOptions globals, CliConsole console)
    {
        var reason = new Command("reason", "The node's reasoning pipeline.");
        reason.Subcommands.Add(Status(globals, console));
        return reason;
    }

    /// <summary>One line on the guardian stop, as <c>reason status</c> and <c>decisions stop|resume</c> say it.</summary>
    public static string Describe(AutomaticApproval automatic) =>
        automatic.Stopped
            ? $"automatic approval: stopped by {Display.OneLine(automatic.StoppedBy)} at {Display.Time(automatic.StoppedAt)}: {Display.OneLine(automatic.Reason)}"
            : "automatic approval: on";

    private static Command Status(GlobalOptions globals, CliConsole console)
    {
        var command = new Command("status", "Per reasoner: runs, findings, mean confidence and latency; then cycles, latency, calibration and the guardian stop.");
        command.Action = new ApiAction(globals, console, async call =>
        {
            var client = new ReasoningService.ReasoningServiceClient(call.Channel);
            var status = await client.GetStatusAsync(new GetReasoningStatusRequest(), call.Request()).ConfigureAwait(false);
            return await call.ShowAsync(writer => ApiJson.WriteReasoningStatus(writer, status), () => Text(status)).ConfigureAwait(false);
        });
        return command;
    }

    private static string Text(ReasoningStatus status)
    {
        var c = CultureInfo.InvariantCulture;
        var table = new TextTable("REASONER", "RUNS", "FINDINGS", "MEAN CONFIDENCE", "MEAN µs", "LAST RUN");
        foreach (var r in status.Reasoners)
        {
            table.Add(r.Name, r.Runs.ToString(c), r.Findings.ToString(c), r.Findings > 0 ? r.MeanConfidence.ToString("0.000", c) : "-",
                r.MeanLatencyUs > 0 ? r.MeanLatencyUs.ToString("0.0", c) : "-", Display.Time(r.LastRunAt));
        }

        var latency = status.Latency ?? new ObservationLatency();
        var calibration = status.Calibration ?? new CalibrationStatus();
        var text = new StringBuilder(table.Render("no reasoners"));
        text.AppendLine();
        text.AppendLine(string.Create(c,
            $"depth {status.Depth}: {status.Cycles} cycles ({status.Rejected} rejected), {status.Subjects} subjects, {status.Conclusions} conclusions ({status.Conflicts} conflicts), {status.Decisions} decisions"));
        text.AppendLine(string.Create(c,
            $"latency: {latency.Observations} observations, mean {latency.MeanUs:0.0} µs, p50 {latency.P50Us:0.0} µs, p99 {latency.P99Us:0.0} µs, max {latency.MaxUs:0.0} µs"));
        text.AppendLine(calibration.Outcomes > 0
            ? string.Create(c,
                $"calibration: {calibration.Method}, {calibration.Outcomes} outcomes ({calibration.Held} held), Brier {calibration.Brier:0.0000} (base rate {calibration.BaseRateBrier:0.0000}), ECE {calibration.Ece:0.0000}, {calibration.Reflections} reflections")
            : string.Create(c, $"calibration: {calibration.Method}, no outcomes yet, {calibration.Reflections} reflections"));
        text.AppendLine(Describe(status.Automatic ?? new AutomaticApproval()));
        return text.ToString();
    }
}
