using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Node.Daemon.Dashboard;
using Node.Federation.Identity;

namespace Node.Daemon.Tests.Dashboard;

/// <summary>
/// The dashboard listener of a running node (the JIT build and the AOT binary), reached as a browser
/// and Prometheus would: login links from the real nodectl, cookies and headers by hand, a flood
/// from another loopback address, and <c>/metrics</c> checked by Debian's <c>promtool</c>.
/// </summary>
public sealed class DashboardProcessTests(DashboardNodes nodes) : IClassFixture<DashboardNodes>
{
    private const string Promtool = "/usr/bin/promtool";

    public static TheoryData<string> Kinds => DaemonProcess.Kinds();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static async Task<string> TextAsync(HttpResponseMessage response) => await response.Content.ReadAsStringAsync(Token);

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_login_link_opens_a_session_once_with_a_strict_http_only_cookie_and_is_refused_when_opened_again(string kind)
    {
        var node = await nodes.GetAsync(kind);
        var client = node.Client();
        var url = new Uri(await node.LoginUrlAsync());

        using var preview = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url), Token);
        using var login = await client.GetAsync(url, Token);
        using var replay = await client.GetAsync(url, Token);

        Assert.Equal(HttpStatusCode.Unauthorized, preview.StatusCode); // a HEAD does not spend the link
        Assert.Equal(HttpStatusCode.SeeOther, login.StatusCode);
        Assert.Equal("/", login.Headers.Location?.OriginalString);
        var setCookie = Assert.Single(login.Headers.GetValues("Set-Cookie"));
        Assert.True(setCookie.EndsWith("; path=/; samesite=strict; httponly", StringComparison.Ordinal), "The session cookie is not HttpOnly, SameSite=Strict, Path=/.");
        var cookie = DashboardNode.CookieOf(login)!;
        node.Secrets.Add(cookie);
        Assert.Equal(43, cookie.Length);
        Assert.Equal("no-store", login.Headers.CacheControl?.ToString());
        Assert.Equal("no-referrer", Assert.Single(login.Headers.GetValues("Referrer-Policy")));

        using var page = await DashboardNode.GetAsync(client, "/", cookie);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        // Not Assert.Contains: a failure would print the page, and the page carries the session's CSRF token.
        Assert.True((await TextAsync(page)).Contains("dashboard-test", StringComparison.Ordinal), "The page does not name the node.");

        Assert.Equal(HttpStatusCode.Forbidden, replay.StatusCode);
        Assert.Null(DashboardNode.CookieOf(replay));
        var refusal = await TextAsync(replay);
        Assert.Contains("Login link already used", refusal, StringComparison.Ordinal);
        Assert.Contains("nodectl dashboard", refusal, StringComparison.Ordinal);
        node.AssertNoSecretInLogs();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task An_expired_login_link_is_refused_with_a_page_that_says_so_and_starts_no_session(string kind)
    {
        var node = await nodes.WithExpiringLinksAsync(kind);
        var client = node.Client();

        using var late = await client.GetAsync(new Uri(await node.LoginUrlAsync()), Token);
        using var madeUp = await DashboardNode.GetAsync(client, "/login?token=" + new string('A', 43));

        Assert.Equal(HttpStatusCode.Forbidden, late.StatusCode);
        Assert.Null(DashboardNode.CookieOf(late));
        Assert.Contains("Login link expired", await TextAsync(late), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, madeUp.StatusCode);
        Assert.Contains("Login link not valid", await TextAsync(madeUp), StringComparison.Ordinal);
        node.AssertNoSecretInLogs();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Without_a_session_nothing_is_readable_and_the_refusal_says_to_run_nodectl_dashboard(string kind)
    {
        var node = await nodes.GetAsync(kind);
        var client = node.Client();
        var madeUp = new string('B', 43);

        foreach (var (path, cookie) in new[] { ("/", (string?)null), ("/dashboard.js", null), ("/no-such-page", null), ("/", madeUp), ("/", "") })
        {
            using var response = await DashboardNode.GetAsync(client, path, cookie);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"GET {path} without a session: {(int)response.StatusCode}");
            var text = await TextAsync(response);
            Assert.Contains("nodectl dashboard", text, StringComparison.Ordinal);
            Assert.DoesNotContain("dashboard-test", text, StringComparison.Ordinal);
        }

        using var post = await DashboardNode.SendAsync(client, HttpMethod.Post, "/logout", null, null);
        Assert.Equal(HttpStatusCode.Unauthorized, post.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_forged_post_without_the_csrf_token_or_from_another_site_is_refused_and_changes_nothing(string kind)
    {
        var node = await nodes.GetAsync(kind);
        var client = node.Client();
        var (cookie, csrf) = await node.LogInAsync(client);

        (string, string)[][] forgeries =
        [
            [],
            [(CsrfCheck.HeaderName, new string('C', 43))],
            [(CsrfCheck.HeaderName, csrf), ("Origin", "http://evil.example")],
            [(CsrfCheck.HeaderName, csrf), ("Sec-Fetch-Site", "cross-site")],
            [("Origin", node.Origin), ("Sec-Fetch-Site", "same-origin")],
        ];
        foreach (var headers in forgeries)
        {
            using var forged = await DashboardNode.SendAsync(client, HttpMethod.Post, "/logout", cookie, null, headers);
            Assert.True(forged.StatusCode == HttpStatusCode.Forbidden, $"A forged POST /logout got {(int)forged.StatusCode}.");
            Assert.Contains("nothing was changed", await TextAsync(forged), StringComparison.Ordinal);
        }

        using var stillIn = await DashboardNode.GetAsync(client, "/", cookie);
        Assert.Equal(HttpStatusCode.OK, stillIn.StatusCode);

        using var own = await DashboardNode.SendAsync(client, HttpMethod.Post, "/logout", cookie, null,
            (CsrfCheck.HeaderName, csrf), ("Origin", node.Origin), ("Sec-Fetch-Site", "same-origin"));
        using var after = await DashboardNode.GetAsync(client, "/", cookie);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        node.AssertNoSecretInLogs();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task An_oversized_body_is_refused_with_413_unread_and_the_session_goes_on(string kind)
    {
        var node = await nodes.GetAsync(kind);
        var client = node.Client();
        var (cookie, csrf) = await node.LogInAsync(client);

        using var body = new ByteArrayContent(new byte[DashboardLimits.MaxBodyBytes + 1]);
        using var oversized = await DashboardNode.SendAsync(client, HttpMethod.Post, "/logout", cookie, body,
            (CsrfCheck.HeaderName, csrf), ("Origin", node.Origin));
        using var stillIn = await DashboardNode.GetAsync(node.Client(), "/", cookie);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, oversized.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stillIn.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_flood_from_one_address_is_cut_to_429_and_another_address_is_still_served(string kind)
    {
        const int Requests = 400;
        const int Burst = 100, PerSecond = 50; // the defaults
        var node = await nodes.GetAsync(kind);
        var flood = node.Client(IPAddress.Parse("127.0.0.2"));

        var clock = Stopwatch.StartNew();
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < Requests; i++)
        {
            using var response = await DashboardNode.GetAsync(flood, "/");
            codes.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Equal("1", response.Headers.RetryAfter?.ToString());
            }
        }

        var elapsed = clock.Elapsed;
        using var other = await DashboardNode.GetAsync(node.Client(), "/");

        var served = codes.Count(c => c == HttpStatusCode.Unauthorized);
        Assert.Equal(Requests, served + codes.Count(c => c == HttpStatusCode.TooManyRequests));
        Assert.InRange(served, Burst, Burst + (int)Math.Ceiling(elapsed.TotalSeconds * PerSecond) + 1);
        Assert.Equal(HttpStatusCode.Unauthorized, other.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_host_name_other_than_the_listeners_own_is_refused_as_dns_rebinding_would_send_it(string kind)
    {
        var node = await nodes.GetAsync(kind);

        using var rebound = await DashboardNode.GetAsync(node.Client(), "/login?token=x", null, ("Host", $"evil.example:{node.Port}"));
        using var localhost = await DashboardNode.GetAsync(node.Client(), "/", null, ("Host", $"localhost:{node.Port}"));

        Assert.Equal(HttpStatusCode.MisdirectedRequest, rebound.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, localhost.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Metrics_need_the_metrics_token_and_the_text_passes_promtool(string kind)
    {
        var node = await nodes.GetAsync(kind);
        var client = node.Client();
        var token = await node.MetricsTokenAsync();
        var (cookie, _) = await node.LogInAsync();
        var peer = NodeId.FromPublicKey(RandomNumberGenerator.GetBytes(32)).ToString();
        foreach (var args in new[] { ["peers", "add", "127.0.0.7:9", "--id", peer], new[] { "knowledge", "put", "--topic", "t", "--key", "k", "--content", "c" } })
        {
            var run = await NodeCtlProcess.RunAsync(kind, [.. args, "--socket", node.Daemon.Socket]);
            Assert.True(run.Code == 0, $"nodectl {args[0]} {args[1]}: exit {run.Code}: {run.Error}");
        }

        using var none = await DashboardNode.GetAsync(client, "/metrics");
        using var wrong = await DashboardNode.GetAsync(client, "/metrics", null, ("Authorization", "Bearer " + new string('D', 43)));
        using var session = await DashboardNode.GetAsync(client, "/metrics", cookie);
        using var scraped = await DashboardNode.GetAsync(client, "/metrics", null, ("Authorization", "Bearer " + token));

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("Bearer", Assert.Single(none.Headers.WwwAuthenticate).Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, session.StatusCode);
        Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);
        Assert.StartsWith("text/plain", scraped.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        var text = await TextAsync(scraped);
        foreach (var name in new[]
        {
            "sovereign_sync_rounds_total", "sovereign_sync_packets_total{", "sovereign_sync_transferred_bytes_total{", "sovereign_sync_refused_total",
            "sovereign_store_packets", "sovereign_store_size_bytes", "sovereign_event_log_head", "sovereign_reasoning_cycles_total",
            "sovereign_reasoning_conclusions_total", "sovereign_reasoning_decisions_total",
        })
        {
            Assert.Contains(name, text, StringComparison.Ordinal);
        }

        Assert.Contains("direction=\"received\"", text, StringComparison.Ordinal);
        Assert.Matches(@"\nsovereign_peers\{(?=[^}]*tier=""unknown"")(?=[^}]*link_state=""never"")[^}]*\} 1\n", text);
        Assert.Matches(@"\nsovereign_store_packets\{[^}]*\} [1-9]\d*\n", text);
        Assert.Matches(@"\nsovereign_event_log_head\{[^}]*\} [1-9]\d*\n", text);
        Assert.Contains("service_name=\"sovereign-node\"", text, StringComparison.Ordinal);
        var (code, output) = await PromtoolAsync(text);
        Assert.True(code == 0, $"promtool check metrics failed (exit {code}):\n{output}");
        node.AssertNoSecretInLogs();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_dashboard_port_already_in_use_stops_the_node_at_start_naming_the_settings(string kind)
    {
        Assert.SkipWhen(kind == "aot" && DaemonProcess.AotBinary() is null,
            "No native-AOT binary published: scripts/test.sh publishes one and sets SOVEREIGN_NODE_AOT_DIR.");
        using var dir = new TempDirectory();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var (code, _, _) = await DaemonProcess.RunToEndAsync(kind, dir.Path, "--set", "Dashboard:Enabled=true", "--set", $"Dashboard:Port={port}");

        Assert.Equal(ExitCodes.Failure, code);
        var errors = LogFiles.Read(dir.Combine(".node", "logs"), "errors-*.log");
        Assert.Contains($"The dashboard cannot listen on 127.0.0.1 port {port} (Dashboard:Address, Dashboard:Port)", errors, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output)> PromtoolAsync(string metrics)
    {
        Assert.SkipUnless(File.Exists(Promtool), "Debian's prometheus package (promtool) is not installed (scripts/install-deps.sh installs it).");
        var start = new ProcessStartInfo(Promtool, ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(Token);
            var error = process.StandardError.ReadToEndAsync(Token);
            await process.StandardInput.WriteAsync(new StringBuilder(metrics), Token);
            process.StandardInput.Close();
            await process.WaitForExitAsync(Token);
            return (process.ExitCode, await output + await error);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
                await process.WaitForExitAsync(CancellationToken.None);
            }
        }
    }
}
