using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using Node.Federation.Diagnostics;

namespace Node.Daemon.Dashboard;

/// <summary>
/// What every request to the dashboard listener passes first, before anything of it is read: the
/// rate limit of its address (429), the <c>Host</c> it names (on loopback, only the listener's
/// own, 421: a DNS-rebinding page cannot reach it), its method, its body's size (413), and for
/// <c>/metrics</c> the bearer token (401). Refusals are logged once a kind a minute (<see cref="RefusalLog"/>).
/// </summary>
internal sealed partial class DashboardGate(DashboardAccess access, DashboardRateLimiter rate, RefusalLog refusals, ILogger logger,
    Func<IReadOnlySet<string>?> allowedHosts)
{
    /// <summary>The path of the Prometheus text.</summary>
    public const string MetricsPath = "/metrics";

    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var request = context.Request;
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        DashboardHtml.SecureHeaders(context.Response);

        if (!rate.TryAcquire(address))
        {
            Refused("over the rate limit", address);
            context.Response.Headers.RetryAfter = "1";
            return DashboardHtml.WriteAsync(context, StatusCodes.Status429TooManyRequests, "Too many requests",
                "Too many requests from this address; wait a moment and try again.");
        }

        if (allowedHosts() is { } hosts && !hosts.Contains(request.Host.Value ?? ""))
        {
            Refused("a Host that is not the dashboard's", address);
            return DashboardHtml.WriteAsync(context, StatusCodes.Status421MisdirectedRequest, "Wrong address",
                "This is the node's dashboard; address it as 127.0.0.1 or localhost.");
        }

        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !HttpMethods.IsPost(request.Method))
        {
            Refused("a method other than GET, HEAD or POST", address);
            context.Response.Headers.Allow = "GET, HEAD, POST";
            return DashboardHtml.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, "Method not allowed", "The dashboard takes GET, HEAD and POST only.");
        }

        if (request.ContentLength > DashboardLimits.MaxBodyBytes)
        {
            Refused("a body over the limit", address);
            // Not read: Kestrel drains or drops what was sent, and the connection closes.
            context.Response.Headers.Connection = "close";
            return DashboardHtml.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "Request too large",
                string.Create(CultureInfo.InvariantCulture, $"A request body may be at most {DashboardLimits.MaxBodyBytes} bytes."));
        }

        if (request.Path.Equals(MetricsPath, StringComparison.Ordinal))
        {
            if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
            {
                context.Response.Headers.Allow = "GET, HEAD";
                return DashboardHtml.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, "Method not allowed", "/metrics takes GET only.");
            }

            if (!access.IsMetricsToken(BearerToken(request)))
            {
                Refused("/metrics without the metrics token", address);
                context.Response.Headers.WWWAuthenticate = "Bearer realm=\"sovereign-node metrics\"";
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.ContentType = "text/plain; charset=utf-8";
                return context.Response.WriteAsync("401: /metrics needs 'Authorization: Bearer <token>'; 'nodectl dashboard --metrics-token' prints the token.\n",
                    context.RequestAborted);
            }
        }

        return next(context);
    }

    private static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers[HeaderNames.Authorization].ToString();
        const string Scheme = "Bearer ";
        return header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? header[Scheme.Length..].Trim() : null;
    }

    /// <summary>Notes a refusal of <paramref name="kind"/>; the first of its kind in a minute is logged with the address.</summary>
    public void Refused(string kind, string address)
    {
        if (refusals.IsFirst(kind))
        {
            LogRefused(logger, kind, address);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Dashboard refused a request: {Kind} (from {Address}); more of this kind this minute are only counted.")]
    private static partial void LogRefused(ILogger logger, string kind, string address);
}
