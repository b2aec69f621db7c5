using Grpc.Core;

namespace Node.Daemon.Api;

/// <summary>
/// The errors the API answers with, made in one place so every service says them the same way
/// (api.proto, "Errors"): the field named for INVALID_ARGUMENT, what was looked for in NOT_FOUND.
/// </summary>
internal static class ApiErrors
{
    public static RpcException InvalidArgument(string field, string problem) =>
        new(new Status(StatusCode.InvalidArgument, $"{field}: {problem}"));

    public static RpcException NotFound(string what) => new(new Status(StatusCode.NotFound, what));

    public static RpcException FailedPrecondition(string why) => new(new Status(StatusCode.FailedPrecondition, why));

    public static RpcException AlreadyExists(string what) => new(new Status(StatusCode.AlreadyExists, what));

    public static RpcException ResourceExhausted(string why) => new(new Status(StatusCode.ResourceExhausted, why));

    public static RpcException DataLoss(string what) => new(new Status(StatusCode.DataLoss, what));

    public static RpcException Unavailable(string why) => new(new Status(StatusCode.Unavailable, why));
}
