using Grpc.Core;

namespace Node.Cli.Commands;

/// <summary>Commands that follow a stream (knowledge watch, log tail -f) end cleanly on Ctrl-C.</summary>
internal static class Following
{
    /// <summary>Whether <paramref name="ex"/> is the stream ending because Ctrl-C cancelled it.</summary>
    public static bool EndedByCtrlC(Exception ex, ApiCall call) =>
        call.Cancellation.IsCancellationRequested && ex is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled };
}
