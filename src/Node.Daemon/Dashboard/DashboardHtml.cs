using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;

namespace Node.Daemon.Dashboard;

/// <summary>The dashboard's HTML: small pages with nothing from outside (the node is offline), every value escaped.</summary>
internal static class DashboardHtml
{
    /// <summary>What every response says about itself: not cached, not framed, no referrer (a login link carries its token), no content sniffing.</summary>
    public static void SecureHeaders(HttpResponse response)
    {
        var headers = response.Headers;
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers.ContentSecurityPolicy = "default-src 'self'; style-src 'self' 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }

    /// <summary>Writes a page of <paramref name="status"/> with a title and a paragraph (both plain text, escaped here).</summary>
    public static Task WriteAsync(HttpContext context, int status, string title, string text, string? extraHead = null, string? extraBody = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var encode = HtmlEncoder.Default;
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        var page =
            $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{encode.Encode(title)} · Sovereign Node</title>{extraHead}
            <style>body{"{"}font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem{"}"}code{"{"}background:#eee;padding:0 .2rem{"}"}</style>
            </head><body><h1>{encode.Encode(title)}</h1><p>{encode.Encode(text)}</p>{extraBody}</body></html>

            """;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : context.Response.WriteAsync(page, context.RequestAborted);
    }

    /// <summary>The line every refusal of a page ends with: how to get in.</summary>
    public const string HowToLogIn = "Run 'nodectl dashboard' on the node and open the link it prints (it works once, for a short while).";
}
