using System.CommandLine;
using System.CommandLine.Invocation;
using System.Net.Sockets;
using Grpc.Core;

namespace Node.Cli.Commands;

/// <summary>
/// The action of every command that talks to the node: finds the socket, opens the channel, runs
/// the command, and turns a gRPC failure into a message and an exit code — the one place that does.
/// </summary>
internal sealed class ApiAction(GlobalOptions globals, CliConsole console, Func<ApiCall, Task<int>> run) : AsynchronousCommandLineAction
{
    private const string HowToStart =
        "Start it with 'systemctl start sovereign-node', or in development 'dotnet run --project src/Node.Daemon'; or give --socket PATH.";

    public override async Task<int> InvokeAsync(ParseResult parseResult, CancellationToken cancellationToken = default)
    {
        var socket = ApiConnection.Find(parseResult.GetValue(globals.Socket));
        switch (ApiConnection.Presence(socket))
        {
            case SocketPresence.Missing:
                await console.Error.WriteLineAsync($"nodectl: no node socket at {socket}. Is the node running? {HowToStart}").ConfigureAwait(false);
                return NodeCtl.Unreachable;
            case SocketPresence.NotPermitted:
                await console.Error.WriteLineAsync(
                    $"nodectl: permission denied: {socket} is for the node's user and the members of the group {ApiConnection.ServiceGroup} " +
                    $"(sudo usermod -aG {ApiConnection.ServiceGroup} $USER, then log in again), or root").ConfigureAwait(false);
                return NodeCtl.Error;
        }

        using var channel = ApiConnection.Open(socket);
        var call = new ApiCall(parseResult, channel, console, parseResult.GetValue(globals.Json), cancellationToken);
        try
        {
            return await run(call).ConfigureAwait(false);
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
        {
            await console.Error.WriteLineAsync("nodectl: interrupted").ConfigureAwait(false);
            return NodeCtl.Error;
        }
        catch (RpcException ex)
        {
            var (code, message) = Explain(ex, socket);
            await console.Error.WriteLineAsync($"nodectl: {Output.Display.Lines(message)}").ConfigureAwait(false);
            return code;
        }
    }

    /// <summary>The exit code and message of a call the node failed or could not take.</summary>
    internal static (int Code, string Message) Explain(RpcException ex, string socket)
    {
        var detail = ex.Status.Detail;
        return ex.StatusCode switch
        {
            StatusCode.Unavailable or StatusCode.DeadlineExceeded =>
                (NodeCtl.Unreachable, $"cannot reach the node at {socket} ({Connection(ex)}). Is it running? {HowToStart}"),
            // The node names the field, or what it looked for, or the scope the call needs, or the corrupt packet.
            StatusCode.InvalidArgument or StatusCode.NotFound or StatusCode.PermissionDenied or StatusCode.FailedPrecondition
                or StatusCode.AlreadyExists or StatusCode.ResourceExhausted or StatusCode.Unauthenticated or StatusCode.DataLoss =>
                (NodeCtl.Error, detail.Length > 0 ? detail : Words(ex.StatusCode)),
            StatusCode.Unimplemented =>
                (NodeCtl.Error, $"the node does not offer this call; it may be older than nodectl {NodeCtl.Version}{(detail.Length > 0 ? $" ({detail})" : "")}"),
            _ => (NodeCtl.Error, $"the node refused: {ex.StatusCode}: {detail}"),
        };
    }

    private static string Connection(RpcException ex)
    {
        for (var inner = ex.Status.DebugException; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socketError)
            {
                return socketError.SocketErrorCode == SocketError.AccessDenied
                    ? $"{socketError.Message}; the socket is for its owner and the service group"
                    : socketError.Message;
            }
        }

        return ex.Status.Detail;
    }

    private static string Words(StatusCode code) => code switch
    {
        StatusCode.InvalidArgument => "invalid argument",
        StatusCode.NotFound => "not found",
        StatusCode.PermissionDenied => "permission denied",
        StatusCode.FailedPrecondition => "not possible in the node's present state",
        StatusCode.AlreadyExists => "already exists",
        StatusCode.ResourceExhausted => "resource exhausted",
        StatusCode.DataLoss => "the packet is stored but marked corrupt",
        _ => code.ToString(),
    };
}
