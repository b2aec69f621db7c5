using System.Collections.Concurrent;
using System.CommandLine;
using System.Globalization;
using Grpc.Core;
using Node.Cli.Output;
using Node.Protocol.Api;
using Node.Reasoning.Observations;

namespace Node.Cli.Commands;

/// <summary>
/// <c>nodectl observe --csv FILE</c>: streams a CSV of bars to the node's reasoning pipeline and prints each conclusion as
/// it comes back. A line that is not a bar, or a bar the node rejects, is reported on standard error with its line number
/// and skipped; the exit code is then 1. A file that cannot be read is a usage error (2).
/// </summary>
internal static class ObserveCommand
{
    public static Command Create(GlobalOptions globals, CliConsole console)
    {
        var csv = new Option<string>("--csv")
        {
            Description = "A CSV of date,open,high,low,close[,adjclose],volume (a header line is skipped).",
            HelpName = "FILE",
            Required = true,
        }.NotBlank();
        var subject = new Option<string>("--subject")
        {
            Description = "The market or series the bars are of [default: the file's name without its extension].",
            HelpName = "NAME",
        }.NotBlank();
        var command = new Command("observe", "Stream a CSV of bars to the reasoning pipeline; print each conclusion (with --json, one line per bar).")
        {
            csv, subject,
        };
        command.Action = new ApiAction(globals, console, async call =>
        {
            var path = call.Required(csv);
            StreamReader file;
            try
            {
                file = new StreamReader(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                await console.Error.WriteLineAsync($"nodectl: cannot read {path}: {ex.Message}").ConfigureAwait(false);
                return NodeCtl.UsageError;
            }

            using (file)
            {
                var name = call.Value(subject) ?? Path.GetFileNameWithoutExtension(path);
                using var observation = new Observation(call, path, name);
                return await observation.RunAsync(file).ConfigureAwait(false);
            }
        });
        return command;
    }

    /// <summary>One run: the sender reads and sends bars, the reader prints the replies, which come back in order.</summary>
    private sealed class Observation(ApiCall call, string path, string subject) : IDisposable
    {
        private readonly ConcurrentQueue<long> _lines = new();
        private readonly SemaphoreSlim _errors = new(1, 1);
        private int _problems;

        public async Task<int> RunAsync(StreamReader file)
        {
            var client = new ReasoningService.ReasoningServiceClient(call.Channel);
            using var stream = client.Observe(call.Stream());
            var sending = SendAsync(file, stream.RequestStream);
            try
            {
                await foreach (var reply in stream.ResponseStream.ReadAllAsync(call.Cancellation).ConfigureAwait(false))
                {
                    _lines.TryDequeue(out var line);
                    await PrintAsync(reply, line).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (Following.EndedByCtrlC(ex, call))
            {
                return NodeCtl.Error;
            }
            finally
            {
                // The sender fails too when the node ends the call; the node's reason is the one to report.
                try
                {
                    await sending.ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is RpcException or OperationCanceledException or InvalidOperationException)
                {
                }
            }

            // A sender that failed on its own (not because the node ended the call) has said so already.
            return _problems > 0 || !sending.IsCompletedSuccessfully ? NodeCtl.Error : NodeCtl.Ok;
        }

        private async Task SendAsync(StreamReader file, IClientStreamWriter<ObserveRequest> requests)
        {
            long number = 0;
            string? text;
            while ((text = await ReadLineAsync(file).ConfigureAwait(false)) is not null)
            {
                number++;
                if (!BarCsv.TryParse(text.AsSpan(), out var bar, out var error))
                {
                    if (error is not null)
                    {
                        await ProblemAsync($"{path}:{number}: {error}; line skipped").ConfigureAwait(false);
                    }

                    continue;
                }

                _lines.Enqueue(number);
                await requests.WriteAsync(new ObserveRequest
                {
                    Subject = subject,
                    Bar = new Protocol.Api.Bar { Time = bar.Time, Open = bar.Open, High = bar.High, Low = bar.Low, Close = bar.Close, Volume = bar.Volume },
                }, call.Cancellation).ConfigureAwait(false);
            }

            await requests.CompleteAsync().ConfigureAwait(false);
        }

        private async Task<string?> ReadLineAsync(StreamReader file)
        {
            try
            {
                return await file.ReadLineAsync(call.Cancellation).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                await ProblemAsync($"cannot read {path}: {ex.Message}").ConfigureAwait(false);
                return null;
            }
        }

        private async Task PrintAsync(ObserveReply reply, long line)
        {
            if (reply.Rejected.Length > 0)
            {
                await ProblemAsync($"{path}:{line}: the node rejected the bar of {Date(reply.Time)}: {Display.OneLine(reply.Rejected)}").ConfigureAwait(false);
            }

            if (call.Json)
            {
                await call.WriteJsonAsync(writer => ApiJson.WriteObservation(writer, reply)).ConfigureAwait(false);
            }
            else if (reply.Conclusion is { } conclusion)
            {
                var decision = reply.DecisionId.Length > 0 ? $"{conclusion.DecisionType} {reply.Verdict} {reply.DecisionId}"
                    : conclusion.DecisionType.Length > 0 ? $"{conclusion.DecisionType} not recorded"
                    : "-";
                await call.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{Date(reply.Time)}  {conclusion.Claim,-18}  {Display.Direction(conclusion.Direction),2}  {conclusion.Confidence:0.000}  {decision}")).ConfigureAwait(false);
            }
        }

        private async Task ProblemAsync(string message)
        {
            Interlocked.Increment(ref _problems);
            await _errors.WaitAsync().ConfigureAwait(false);
            try
            {
                await call.Console.Error.WriteLineAsync($"nodectl: {message}").ConfigureAwait(false);
            }
            finally
            {
                _errors.Release();
            }
        }

        public void Dispose() => _errors.Dispose();

        private static string Date(long unixSeconds) => Display.BarTime(unixSeconds);
    }
}
