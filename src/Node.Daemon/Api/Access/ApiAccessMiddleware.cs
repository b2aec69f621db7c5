using System.Globalization;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace Node.Daemon.Api.Access;

/// <summary>
/// Puts every request to the <see cref="ApiAccessGate"/> before its endpoint runs: grpc-dotnet
/// decodes a request message before any interceptor sees the call, so a check there would let a
/// caller without a key make the node read and parse what it sent. A refused call is answered
/// here, trailers-only (HTTP 200, <c>grpc-status</c> and <c>grpc-message</c> in the headers), and
/// its body is never read.
/// </summary>
internal static class ApiAccessMiddleware
{
    public static Func<RequestDelegate, RequestDelegate> Create(ApiAccessGate gate) => next => http =>
    {
        // For a gRPC call the path is the method: /package.Service/Method.
        if (!gate.TryAdmit(http, http.Request.Path.Value ?? "", Authorization(http.Request), out var caller, out var refusal))
        {
            Refuse(http.Response, refusal);
            return Task.CompletedTask;
        }

        caller.AttachTo(http);
        return next(http);
    };

    // The last, as grpc's Metadata.GetValue reads a repeated header.
    private static string? Authorization(HttpRequest request) =>
        request.Headers.Authorization is { Count: > 0 } values ? values[^1] : null;

    private static void Refuse(HttpResponse response, Status refusal)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = ((int)refusal.StatusCode).ToString(CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = Uri.EscapeDataString(refusal.Detail);
    }
}
