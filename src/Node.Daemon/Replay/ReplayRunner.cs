using System.Buffers;
using System.Text.Json;
using Node.Reasoning;
using Node.Reasoning.Decisions;
using Node.Reasoning.Findings;
using Node.Reasoning.Memory;
using Node.Reasoning.Observations;
using Node.Reasoning.Pipeline;

namespace Node.Daemon.Replay;

/// <summary>
/// <c>sovereign-node replay</c>: a CSV of bars through the pipeline, offline, with the in-memory twin of Joey's
/// memory and the decision matrix on the bars' own clock.
/// </summary>
internal static class ReplayRunner
{
    private const int ReportedLines = 10;

    public static int Run(IReadOnlyList<string> args, Stream stdin, Stream stdout, TextWriter error)
    {
        if (!ReplayCommandLine.TryParse(args, out var command, out var usageError))
        {
            error.WriteLine($"sovereign-node replay: {usageError}\nTry 'sovereign-node replay --help'.");
            return ExitCodes.ConfigError;
        }

        if (command.Help)
        {
            using var writer = new StreamWriter(stdout, leaveOpen: true);
            writer.Write(ReplayCommandLine.Usage);
            return ExitCodes.Ok;
        }

        Stream input;
        try
        {
            input = command.Csv == "-" ? stdin : new FileStream(command.Csv!, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            error.WriteLine($"sovereign-node replay: cannot read '{command.Csv}': {e.Message}");
            return ExitCodes.ConfigError;
        }

        using (input)
        {
            var subject = command.Subject ?? (command.Csv == "-" ? "stdin" : Path.GetFileNameWithoutExtension(command.Csv!));
            try
            {
                return Replay(input, subject, command, stdout, error);
            }
            catch (IOException e)
            {
                error.WriteLine($"sovereign-node replay: {e.Message}");
                return ExitCodes.Failure;
            }
        }
    }

    private static int Replay(Stream input, string subject, ReplayCommandLine command, Stream stdout, TextWriter error)
    {
        var engine = new ReasoningEngine(new ReasoningOptions { Depth = command.Depth }, new InMemoryReasoningMemory());
        var clock = new BarClock();
        var matrix = new DecisionMatrix(DecisionPolicy.Default, clock);
        var findings = new FindingBuffer();
        using var batches = new BarBatches(input);
        var buffer = new ArrayBufferWriter<byte>(4096);
        using var json = new Utf8JsonWriter(buffer);
        long malformed = 0, rejected = 0, bars = 0, approved = 0, escalated = 0;

        while (batches.Next() is { } batch)
        {
            foreach (ref readonly var item in batch.Items.AsSpan(0, batch.Count))
            {
                if (item.Problem is { } problem)
                {
                    malformed++;
                    if (malformed <= ReportedLines)
                    {
                        error.WriteLine($"sovereign-node replay: line {item.Line}: {problem}; skipped");
                    }

                    continue;
                }

                var bar = item.Bar;
                bars++;
                var outcome = engine.ObserveBar(subject, bar, findings, out var conclusion);
                string? verdict = null;
                if (outcome != ObservationProblem.None)
                {
                    rejected++;
                }
                else if (conclusion.DecisionType is { } type)
                {
                    clock.Now = DateTimeOffset.FromUnixTimeSeconds(bar.Time);
                    var decision = matrix.Evaluate(type, conclusion.Confidence);
                    verdict = decision.IsAutoApproved ? "auto_approved" : "escalated";
                    (decision.IsAutoApproved ? ref approved : ref escalated)++;
                }

                if (!command.SummaryOnly)
                {
                    WriteBar(json, buffer, stdout, subject, bar, outcome, engine, findings, conclusion, verdict);
                }
            }

            batches.Return(batch);
        }

        if (malformed > ReportedLines)
        {
            error.WriteLine($"sovereign-node replay: {malformed - ReportedLines} more lines were not bars; skipped");
        }

        WriteSummary(json, buffer, engine, bars, rejected, malformed, approved, escalated);
        if (command.SummaryOnly)
        {
            stdout.Write(buffer.WrittenSpan);
            stdout.WriteByte((byte)'\n');
        }
        else
        {
            error.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
        }

        stdout.Flush();
        return malformed > 0 ? ExitCodes.Failure : ExitCodes.Ok;
    }

    private static void WriteBar(Utf8JsonWriter json, ArrayBufferWriter<byte> buffer, Stream stdout, string subject, in Bar bar,
        ObservationProblem outcome, ReasoningEngine engine, FindingBuffer findings, in Conclusion conclusion, string? verdict)
    {
        buffer.ResetWrittenCount();
        json.Reset(buffer);
        json.WriteStartObject();
        json.WriteString("date", DateTimeOffset.FromUnixTimeSeconds(bar.Time).UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        json.WriteString("subject", subject);
        json.WriteNumber("close", bar.Close);
        if (outcome != ObservationProblem.None)
        {
            json.WriteString("rejected", ReasoningNames.Of(outcome));
        }
        else
        {
            engine.TryGetFeatures(subject, out var features);
            json.WriteStartObject("features");
            ReasoningJson.WriteFeatures(json, features);
            json.WriteEndObject();
            ReasoningJson.WriteFindings(json, findings.Items);
            ReasoningJson.WriteConclusion(json, conclusion, verdict);
        }

        json.WriteEndObject();
        json.Flush();
        stdout.Write(buffer.WrittenSpan);
        stdout.WriteByte((byte)'\n');
    }

    private static void WriteSummary(Utf8JsonWriter json, ArrayBufferWriter<byte> buffer, ReasoningEngine engine, long bars, long rejected,
        long malformed, long approved, long escalated)
    {
        buffer.ResetWrittenCount();
        json.Reset(buffer);
        var metrics = engine.Aletheia.Metrics;
        json.WriteStartObject();
        json.WriteStartObject("summary");
        json.WriteString("depth", ReasoningNames.Of(engine.Depth));
        json.WriteNumber("bars", bars);
        json.WriteNumber("rejected", rejected);
        json.WriteNumber("malformed_lines", malformed);
        json.WriteNumber("outcomes", metrics.Count);
        json.WriteNumber("held", metrics.Positives);
        json.WriteNumber("failed", metrics.Negatives);
        ReasoningJson.Number(json, "brier", metrics.BrierScore);
        ReasoningJson.Number(json, "base_rate_brier", metrics.BaseRateBrierScore);
        ReasoningJson.Number(json, "brier_skill", metrics.BrierSkillScore);
        ReasoningJson.Number(json, "ece", metrics.ExpectedCalibrationError);
        json.WriteString("calibration", ReasoningNames.Of(engine.Aletheia.Calibrator.Method));
        json.WriteNumber("reflections", engine.Aletheia.Reflections);
        json.WriteNumber("conflicts", engine.Aletheia.Conflicts);
        json.WriteNumber("auto_approved", approved);
        json.WriteNumber("escalated", escalated);
        json.WriteStartObject("claims");
        foreach (var kind in Enum.GetValues<FindingKind>())
        {
            var (held, failed) = engine.OutcomesOf(kind);
            if (held + failed > 0)
            {
                json.WriteStartObject(ReasoningNames.Of(kind));
                json.WriteNumber("held", held);
                json.WriteNumber("failed", failed);
                json.WriteEndObject();
            }
        }

        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
        json.Flush();
    }

    /// <summary>The decision matrix's clock during a replay: the time of the bar being decided on.</summary>
    private sealed class BarClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UnixEpoch;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
