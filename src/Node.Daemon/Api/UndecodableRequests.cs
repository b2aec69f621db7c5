using Google.Protobuf;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using Node.Daemon.Api.Access;

namespace Node.Daemon.Api;

/// <summary>
/// A request message that does not decode fails inside grpc-dotnet, before any interceptor runs,
/// and would reach the client as UNKNOWN "Exception was thrown by handler" — and, in grpc-dotnet's
/// log, as an error with its stack trace, a line a bad request. This middleware turns that answer
/// into INVALID_ARGUMENT naming the problem (<c>request: does not decode as the method's request
/// message: …</c>), counts it (<see cref="ApiRefusals"/>) and logs it at Debug, without a stack:
/// a client's bad input is not the node's error. Since <see cref="ApiErrorInterceptor"/> turns
/// every exception a service throws into a status, the only UNKNOWN answers left come from here;
/// any other one is the node's fault: logged as an error here, with its exception, and answered
/// with a generic message, so nothing internal reaches a client. (grpc-dotnet's own error lines
/// are filtered out for this, in <see cref="ApiAccessExtensions.AddApiAccess"/>.)
/// </summary>
internal static partial class UndecodableRequests
{
    private const string Problem = "does not decode as the method's request message: ";

    public static void UseUndecodableRequests(this WebApplication app)
    {
        var counts = app.Services.GetRequiredService<ApiRefusals>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(UndecodableRequests).FullName!);
        app.Use(async (context, next) =>
        {
            await next(context).ConfigureAwait(false);
            if (context.Features.Get<IServerCallContextFeature>()?.ServerCallContext is not { Status.StatusCode: StatusCode.Unknown } call)
            {
                return;
            }

            var failure = call.Status.DebugException;
            string status, message;
            if (IsBadRequest(failure))
            {
                (status, message) = ("3", "request: " + Refuse(logger, counts, call, failure!));
            }
            else
            {
                if (failure is not null)
                {
                    LogFailed(logger, call.Method, failure);
                }

                (status, message) = ("2", "Internal error; see the node's error log.");
            }

            if (!Rewrite(context.Response.Headers, status, message))
            {
                var trailers = context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers;
                if (trailers is not null && !trailers.IsReadOnly)
                {
                    Rewrite(trailers, status, message);
                }
            }
        });
    }

    /// <summary>
    /// Whether grpc-dotnet threw <paramref name="failure"/> reading a request a client got wrong: a
    /// message that is not the method's (protobuf), a bad frame header or compression
    /// (InvalidDataException), a length past what a frame may say, or a request cut off (IOException).
    /// </summary>
    internal static bool IsBadRequest(Exception? failure) =>
        failure is InvalidProtocolBufferException or InvalidDataException or IOException;

    /// <summary>Counts and logs (at Debug) a request of <paramref name="call"/> that did not decode; returns the problem, for the client.</summary>
    internal static string Refuse(ILogger logger, ApiRefusals counts, ServerCallContext call, Exception failure)
    {
        counts.Count(ApiRefusal.Undecodable);
        var reason = Sanitize(failure.Message);
        LogUndecodable(logger, call.Method, ApiCaller.Of(call)?.Who ?? "unknown", reason);
        return Problem + reason;
    }

    private static bool Rewrite(IHeaderDictionary headers, string status, string message)
    {
        if (headers.IsReadOnly || headers["grpc-status"] != "2")
        {
            return false;
        }

        headers["grpc-status"] = status;
        headers["grpc-message"] = new StringValues(Uri.EscapeDataString(message));
        return true;
    }

    private static string Sanitize(string text) => Node.Federation.Diagnostics.RemoteText.Printable(text, 200);

    [LoggerMessage(Level = LogLevel.Debug, Message = "API call {Method} by {Caller} refused: its request " + Problem + "{Reason}")]
    private static partial void LogUndecodable(ILogger logger, string method, string caller, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "API call {Method} failed in the gRPC server, outside its service")]
    private static partial void LogFailed(ILogger logger, string method, Exception exception);
}
