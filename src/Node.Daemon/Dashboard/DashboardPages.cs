using System.Globalization;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;

namespace Node.Daemon.Dashboard;

/// <summary>
/// The dashboard behind the gate: <c>/login</c> spends a one-time link and starts a session
/// (cookie, then 303 to <c>/</c>); every other path needs the session (401 otherwise, with a page
/// saying to run <c>nodectl dashboard</c>), and a POST needs the CSRF defence besides
/// (<see cref="CsrfCheck"/>, 403). The views come later; today <c>/</c>, its script and <c>/logout</c>.
/// </summary>
internal sealed class DashboardPages(DashboardAccess access, DashboardGate gate, Func<string> nodeName)
{
    /// <summary>The session cookie's name.</summary>
    public const string CookieName = "sovereign_session";

    /// <summary>The path a login link opens.</summary>
    public const string LoginPath = "/login";

    private const string Script =
        """
        "use strict";
        document.getElementById("logout").addEventListener("click", async () => {
          const token = document.querySelector('meta[name="csrf-token"]').content;
          await fetch("/logout", { method: "POST", headers: { "X-CSRF-Token": token }, credentials: "same-origin" });
          location.assign("/");
        });

        """;

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        // GET only: a HEAD (a link preview, a checker) must not spend the link.
        if (request.Path.Equals(LoginPath, StringComparison.Ordinal) && HttpMethods.IsGet(request.Method))
        {
            return LoginAsync(context, address);
        }

        if (access.FindSession(request.Cookies[CookieName]) is not { } session)
        {
            gate.Refused("a request without a session", address);
            return DashboardHtml.WriteAsync(context, StatusCodes.Status401Unauthorized, "Not logged in",
                "This node's dashboard shows nothing without a session. " + DashboardHtml.HowToLogIn);
        }

        if (HttpMethods.IsPost(request.Method))
        {
            var outcome = CsrfCheck.Check(session, request.Headers[CsrfCheck.HeaderName], request.Headers.Origin, request.Headers["Sec-Fetch-Site"],
                "http://" + request.Host.Value);
            if (outcome != CsrfOutcome.Allowed)
            {
                gate.Refused(outcome switch
                {
                    CsrfOutcome.CrossSite => "a cross-site request",
                    CsrfOutcome.CrossOrigin => "a request from another origin",
                    CsrfOutcome.MissingToken => "a request without its CSRF token",
                    _ => "a request with a wrong CSRF token",
                }, address);
                return DashboardHtml.WriteAsync(context, StatusCodes.Status403Forbidden, "Refused",
                    "This request did not come from the dashboard's own page, so nothing was changed.");
            }
        }

        return (request.Method, request.Path.Value) switch
        {
            ("GET" or "HEAD", "/") => IndexAsync(context, session),
            ("GET" or "HEAD", "/dashboard.js") => ScriptAsync(context),
            ("POST", "/logout") => LogoutAsync(context, session),
            _ => DashboardHtml.WriteAsync(context, StatusCodes.Status404NotFound, "Not found", "The dashboard has no such page."),
        };
    }

    private Task LoginAsync(HttpContext context, string address)
    {
        var outcome = access.SignIn(context.Request.Query["token"], out var cookie);
        switch (outcome)
        {
            case LoginOutcome.SignedIn:
                context.Response.Cookies.Append(CookieName, cookie!, new CookieOptions
                {
                    HttpOnly = true,
                    SameSite = SameSiteMode.Strict,
                    Path = "/",
                    IsEssential = true,
                });
                context.Response.StatusCode = StatusCodes.Status303SeeOther;
                context.Response.Headers.Location = "/";
                return Task.CompletedTask;
            case LoginOutcome.Expired:
                gate.Refused("an expired login link", address);
                return DashboardHtml.WriteAsync(context, StatusCodes.Status403Forbidden, "Login link expired",
                    $"This login link was not opened within {Describe(access.LinkLifetime)} of being made. " + DashboardHtml.HowToLogIn);
            case LoginOutcome.AlreadyUsed:
                gate.Refused("a login link opened again", address);
                return DashboardHtml.WriteAsync(context, StatusCodes.Status403Forbidden, "Login link already used",
                    "This login link was opened before; each works once. " + DashboardHtml.HowToLogIn);
            default:
                gate.Refused("an unknown login link", address);
                return DashboardHtml.WriteAsync(context, StatusCodes.Status403Forbidden, "Login link not valid",
                    "This is not a login link of this node (or it is from before the node restarted). " + DashboardHtml.HowToLogIn);
        }
    }

    private Task IndexAsync(HttpContext context, DashboardSession session)
    {
        var encode = HtmlEncoder.Default;
        return DashboardHtml.WriteAsync(context, StatusCodes.Status200OK, nodeName(),
            "The dashboard's views of this node come in a later version; its figures are at /metrics for Prometheus.",
            extraHead: $"""<meta name="csrf-token" content="{encode.Encode(session.CsrfToken)}"><script src="/dashboard.js" defer></script>""",
            extraBody: """<p><button id="logout" type="button">Log out</button></p>""");
    }

    private static Task ScriptAsync(HttpContext context)
    {
        context.Response.ContentType = "text/javascript; charset=utf-8";
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : context.Response.WriteAsync(Script, context.RequestAborted);
    }

    private Task LogoutAsync(HttpContext context, DashboardSession session)
    {
        access.SignOut(session);
        context.Response.Cookies.Delete(CookieName, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/" });
        return DashboardHtml.WriteAsync(context, StatusCodes.Status200OK, "Logged out", "The session is over. " + DashboardHtml.HowToLogIn);
    }

    private static string Describe(TimeSpan lifetime) => lifetime.TotalMinutes >= 1 && lifetime.Seconds == 0 && lifetime.Milliseconds == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{lifetime.TotalMinutes:0} minute{(lifetime.TotalMinutes == 1 ? "" : "s")}")
        : string.Create(CultureInfo.InvariantCulture, $"{lifetime.TotalSeconds:0.###} seconds");
}
