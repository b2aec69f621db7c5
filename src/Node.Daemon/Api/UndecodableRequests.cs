using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace Node.Daemon.Api;

/// <summary>
/// A request message that does not decode fails inside grpc-dotnet, before any interceptor runs,
/// and would reach the client as UNKNOWN "Exception was thrown by handler". This middleware turns
/// that answer into INVALID_ARGUMENT naming the problem (<c>request: does not decode as the
/// method's request message: …</c>). With detailed errors on, grpc-dotnet names the exception in
/// its message; since <see cref="ApiErrorInterceptor"/> turns every exception a service throws into
/// a status, the only UNKNOWN answers left come from here — any other one is replaced by a
/// generic message, so nothing internal reaches a client.
/// </summary>
internal static class UndecodableRequests
{
    private const string Decode = "InvalidProtocolBufferException: ";

    public static void UseUndecodableRequests(this WebApplication app) => app.Use(async (context, next) =>
    {
        await next(context).ConfigureAwait(false);
        if (!Rewrite(context.Response.Headers))
        {
            var trailers = context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers;
            if (trailers is not null && !trailers.IsReadOnly)
            {
                Rewrite(trailers);
            }
        }
    });

    private static bool Rewrite(IHeaderDictionary headers)
    {
        if (headers.IsReadOnly || headers["grpc-status"] != "2")
        {
            return false;
        }

        var message = Uri.UnescapeDataString(headers["grpc-message"].ToString());
        var at = message.IndexOf(Decode, StringComparison.Ordinal);
        if (at >= 0)
        {
            headers["grpc-status"] = "3";
            headers["grpc-message"] = new StringValues(Uri.EscapeDataString(
                "request: does not decode as the method's request message: " + Sanitize(message[(at + Decode.Length)..])));
        }
        else
        {
            headers["grpc-message"] = "Internal error; see the node's error log.";
        }

        return true;
    }

    private static string Sanitize(string text) => string.Concat(text.Take(200).Select(c => char.IsControl(c) ? ' ' : c));
}
