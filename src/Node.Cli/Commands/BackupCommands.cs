using System.CommandLine;
using Grpc.Core;
using Node.Cli.Output;
using Node.Protocol.Api;

namespace Node.Cli.Commands;

/// <summary><c>nodectl backup create|status</c>: online backups of the store.</summary>
internal static class BackupCommands
{
    public static Command Create(GlobalOptions globals, CliConsole console)
    {
        var backup = new Command("backup", "Online backups of the node's store (a consistent snapshot while it runs).");
        backup.Subcommands.Add(CreateBackup(globals, console));
        backup.Subcommands.Add(Status(globals, console));
        return backup;
    }

    private static Command CreateBackup(GlobalOptions globals, CliConsole console)
    {
        var path = new Argument<string>("PATH") { Description = "The new backup file, on the node's machine; it must not exist (a relative path is made absolute here)." }.NotBlank();
        var command = new Command("create", "Write a backup to a new file; shows progress on a terminal.") { path };
        command.Action = new ApiAction(globals, console, async call =>
        {
            var request = new CreateBackupRequest { Path = Path.GetFullPath(call.Required(path)) };
            using var stream = new BackupService.BackupServiceClient(call.Channel).Create(request, call.Stream());
            var progress = new ProgressLine(call.Console.Error, enabled: call.Console.ErrorIsTerminal && !call.Json);
            BackupResult? result = null;
            try
            {
                await foreach (var step in stream.ResponseStream.ReadAllAsync(call.Cancellation).ConfigureAwait(false))
                {
                    if (step.Result is not null)
                    {
                        result = step.Result;
                    }
                    else
                    {
                        await progress.ShowAsync(step.PagesTotal > 0
                            ? $"backup: {100 * step.PagesDone / step.PagesTotal}% ({step.PagesDone} of {step.PagesTotal} pages)"
                            : $"backup: {step.PagesDone} pages").ConfigureAwait(false);
                    }
                }
            }
            finally
            {
                await progress.ClearAsync().ConfigureAwait(false);
            }

            if (result is null)
            {
                return await call.FailAsync($"the node ended the backup to {request.Path} without a result").ConfigureAwait(false);
            }

            await (call.Json
                ? call.WriteLineAsync(JsonText.Value(writer => ApiJson.WriteBackupResult(writer, result)))
                : call.WriteLineAsync($"backup written: {Display.OneLine(result.Path)}\n{Describe(result)}")).ConfigureAwait(false);
            return NodeCtl.Ok;
        });
        return command;
    }

    private static Command Status(GlobalOptions globals, CliConsole console)
    {
        var command = new Command("status", "The last backup this node made, if any.");
        command.Action = new ApiAction(globals, console, async call =>
        {
            var status = await new BackupService.BackupServiceClient(call.Channel).GetStatusAsync(new GetBackupStatusRequest(), call.Request()).ConfigureAwait(false);
            await (call.Json
                ? call.WriteJsonAsync(writer =>
                {
                    writer.WritePropertyName("last");
                    if (status.Last is null)
                    {
                        writer.WriteNullValue();
                    }
                    else
                    {
                        ApiJson.WriteBackupResult(writer, status.Last);
                    }
                })
                : call.WriteLineAsync(status.Last is { } last ? $"last backup: {Display.OneLine(last.Path)}\n{Describe(last)}" : "no backup made by this node")).ConfigureAwait(false);
            return NodeCtl.Ok;
        });
        return command;
    }

    private static string Describe(BackupResult result) =>
        $"  made {Display.Time(result.CreatedAt)}, {Display.Bytes(result.Bytes)}, {result.Packets} packets, schema {result.SchemaVersion}\n" +
        $"  event log head {result.EventHeadSeq} {result.EventHeadHash}";
}
