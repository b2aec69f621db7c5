using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Node.Federation.Link;
using Node.Federation.Link.Server;

namespace Node.Daemon.PeerListener;

/// <summary>
/// The peer port's call gate in HTTP terms: every request is a peer-protocol method, from a
/// connection whose client certificate the caller proved it holds, admitted by
/// <see cref="PeerCallGate"/> before gRPC reads a byte of its body — a refused call is answered
/// trailers-only (HTTP 200, <c>grpc-status</c>), so a stranger's Query is never parsed. An admitted
/// call runs under a <see cref="PeerCall"/> that a drop of the caller's tier revokes; should its
/// handler not end within half a second of that, the stream is reset with INADEQUATE_SECURITY,
/// which gRPC reports to the caller as PERMISSION_DENIED.
/// </summary>
internal sealed class PeerCallMiddleware(PeerCallGate gate, PeerCalls calls, PeerRefusals refusals, TimeProvider time)
{
    /// <summary>How long a revoked call's handler has to end by itself before its stream is reset.</summary>
    public static readonly TimeSpan ResetGrace = TimeSpan.FromMilliseconds(500);

    private const int InadequateSecurity = 0xC; // RFC 9113 §7

    public async Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        var connection = http.Features.Get<PeerConnection>();
        if (!PeerMethods.TryFromPath(http.Request.Path.Value, out var method))
        {
            refusals.Add(PeerRefusal.UnknownMethod, connection?.Remote, $"{Printable(http.Request.Path.Value)} is no method of the peer protocol");
            Refuse(http, StatusCode.Unimplemented, "no such method on the peer port");
            return;
        }

        if (connection?.CertificateSha256 is not { } certificate)
        {
            refusals.Add(PeerRefusal.NoCertificate, connection?.Remote, "a call on a connection without a client certificate");
            Refuse(http, StatusCode.Unauthenticated, "no client certificate on this connection");
            return;
        }

        var admission = gate.Admit(certificate, method);
        if (!admission.Admitted)
        {
            refusals.Add(admission.Refusal!.Value, connection.Remote, admission.Status.Detail);
            Refuse(http, admission.Status.StatusCode, admission.Status.Detail);
            return;
        }

        using var call = calls.Open(admission.Caller, admission.Tier, method, http.RequestAborted);
        // A tier dropped between the gate and the registration found no call to end: ask again now it is registered.
        if (gate.Admit(certificate, method) is { Admitted: false } again)
        {
            call.Revoke(again.Status.Detail);
        }

        http.Items[PeerLinkService.CertificateKey] = certificate;
        http.Items[PeerLinkService.CallKey] = call;
        http.Items[PeerLinkService.RemoteKey] = connection.Remote;
        ITimer? reset = null;
        var revoked = call.Token.Register(() =>
        {
            if (call.RevokedReason is not null)
            {
                reset = time.CreateTimer(static state => ResetStream((HttpContext)state!), http, ResetGrace, Timeout.InfiniteTimeSpan);
            }
        });
        try
        {
            await next(http).ConfigureAwait(false);
        }
        finally
        {
            // First the registration (Dispose waits for a callback under way), then the timer it may have made.
            revoked.Dispose();
            reset?.Dispose();
        }

        if (StatusOf(http) == StatusCode.ResourceExhausted)
        {
            refusals.Add(PeerRefusal.Oversize, connection.Remote, $"{method}: a message over {PeerLimits.MaxRequestBytes / 1024} KiB");
        }
    }

    // The backstop of a revoked call whose handler did not end: the stream is reset (the call may have ended meanwhile).
    private static void ResetStream(HttpContext http)
    {
        try
        {
            http.Features.Get<IHttpResetFeature>()?.Reset(InadequateSecurity);
        }
        catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException)
        {
            // The request is over already.
        }
    }

    // Trailers-only: the status in the response headers, no body (the gRPC HTTP/2 protocol's "Trailers-Only").
    private static void Refuse(HttpContext http, StatusCode code, string message)
    {
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "application/grpc";
        http.Response.Headers["grpc-status"] = ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);
        http.Response.Headers["grpc-message"] = Uri.EscapeDataString(message);
    }

    private static StatusCode? StatusOf(HttpContext http)
    {
        var text = http.Features.Get<IHttpResponseTrailersFeature>()?.Trailers["grpc-status"].ToString();
        if (string.IsNullOrEmpty(text))
        {
            text = http.Response.Headers["grpc-status"].ToString();
        }

        return int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var code) ? (StatusCode)code : null;
    }

    private static string Printable(string? path) => Node.Federation.Diagnostics.RemoteText.Printable(path ?? "(no path)", 80);
}
