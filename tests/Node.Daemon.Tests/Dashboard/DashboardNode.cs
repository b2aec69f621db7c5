using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Node.Daemon.Tests.Support;

namespace Node.Daemon.Tests.Dashboard;

/// <summary>
/// A real <c>sovereign-node</c> with its dashboard on (port 0: the port it picked is read from its
/// log), and HTTP clients to it that keep no cookies and follow no redirects (the tests look at
/// both). Every secret the node gave out is remembered, to look for where it must not be; no
/// assertion here prints one. Stopped and removed on dispose.
/// </summary>
public sealed partial class DashboardNode : IAsyncDisposable
{
    private readonly List<HttpClient> _clients = [];

    private DashboardNode(TcpDaemon daemon, string kind, int port)
    {
        Daemon = daemon;
        Kind = kind;
        Port = port;
    }

    public TcpDaemon Daemon { get; }

    public string Kind { get; }

    public int Port { get; }

    public string Origin => $"http://127.0.0.1:{Port}";

    /// <summary>Login links, cookies, CSRF and metrics tokens this node gave the tests.</summary>
    public List<string> Secrets { get; } = [];

    public static async Task<DashboardNode> StartAsync(string kind, params string[] settings)
    {
        var daemon = await TcpDaemon.StartAsync(kind, [.. settings, "Node:Name=dashboard-test", "Dashboard:Enabled=true", "Dashboard:Port=0"]);
        try
        {
            var log = await LogFiles.WaitForAsync(daemon.LogDirectory, "node-*.log", "Dashboard on ");
            return new DashboardNode(daemon, kind, int.Parse(ListeningLine().Match(log).Groups["port"].Value, CultureInfo.InvariantCulture));
        }
        catch
        {
            await daemon.DisposeAsync();
            throw;
        }
    }

    /// <summary>A client from <paramref name="from"/> (127.0.0.1 unless given: any 127.x.y.z reaches the loopback listener).</summary>
    public HttpClient Client(IPAddress? from = null)
    {
        var handler = new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false };
        if (from is not null)
        {
            handler.ConnectCallback = async (context, token) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(from, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, token);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }

        var client = new HttpClient(handler) { BaseAddress = new Uri(Origin) };
        _clients.Add(client);
        return client;
    }

    /// <summary>A login link from <c>nodectl dashboard --json</c>.</summary>
    public async Task<string> LoginUrlAsync()
    {
        var run = await NodeCtlProcess.RunAsync(Kind, "dashboard", "--json", "--socket", Daemon.Socket);
        Assert.True(run.Code == 0, $"nodectl dashboard failed (exit {run.Code}): {run.Error}");
        using var json = JsonDocument.Parse(run.Output);
        var url = json.RootElement.GetProperty("url").GetString()!;
        Secrets.Add(url[(url.IndexOf("token=", StringComparison.Ordinal) + 6)..]);
        Assert.True(url.StartsWith($"{Origin}/login?token=", StringComparison.Ordinal), "The login link is not of this node's listener.");
        return url;
    }

    /// <summary>The metrics token from <c>nodectl dashboard --metrics-token</c> (its plain output: the token alone).</summary>
    public async Task<string> MetricsTokenAsync()
    {
        var run = await NodeCtlProcess.RunAsync(Kind, "dashboard", "--metrics-token", "--socket", Daemon.Socket);
        Assert.True(run.Code == 0, $"nodectl dashboard --metrics-token failed (exit {run.Code}): {run.Error}");
        var token = run.Output.TrimEnd('\n');
        Secrets.Add(token);
        Assert.True(token.Length == 43 && !token.Contains('\n', StringComparison.Ordinal), "The metrics token is not one line of 43 characters.");
        return token;
    }

    /// <summary>Opens a login link, expecting a session: its cookie and CSRF token (read from the page, as the page's script does).</summary>
    public async Task<(string Cookie, string Csrf)> LogInAsync(HttpClient? client = null)
    {
        client ??= Client();
        using var login = await client.GetAsync(new Uri(await LoginUrlAsync()), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.SeeOther, login.StatusCode);
        var cookie = CookieOf(login) ?? throw new Xunit.Sdk.XunitException("The login set no session cookie.");
        Secrets.Add(cookie);
        using var page = await GetAsync(client, "/", cookie);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var csrf = CsrfMeta().Match(await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Groups["token"].Value;
        Assert.True(csrf.Length == 43, "The page carries no CSRF token.");
        Secrets.Add(csrf);
        return (cookie, csrf);
    }

    public static Task<HttpResponseMessage> GetAsync(HttpClient client, string path, string? cookie = null, params (string Name, string Value)[] headers) =>
        SendAsync(client, HttpMethod.Get, path, cookie, null, headers);

    public static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string? cookie, HttpContent? content,
        params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", $"sovereign_session={cookie}");
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>The session cookie a response sets, with its attributes checked by the caller through <paramref name="setCookie"/>.</summary>
    public static string? CookieOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) && values.FirstOrDefault(v => v.StartsWith("sovereign_session=", StringComparison.Ordinal)) is { } line
            ? line["sovereign_session=".Length..line.IndexOf(';', StringComparison.Ordinal)]
            : null;

    /// <summary>Fails if any secret this node gave the tests is in its logs (without printing it).</summary>
    public void AssertNoSecretInLogs()
    {
        var logs = Daemon.AllLogs();
        foreach (var secret in Secrets.Where(s => s.Length >= 40))
        {
            Assert.False(logs.Contains(secret[..20], StringComparison.Ordinal) || logs.Contains(secret[^20..], StringComparison.Ordinal),
                "A dashboard secret is in the node's logs.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await Daemon.DisposeAsync();
    }

    [GeneratedRegex(@"Dashboard on 127\.0\.0\.1:(?<port>\d+) ")]
    private static partial Regex ListeningLine();

    [GeneratedRegex("""<meta name="csrf-token" content="(?<token>[A-Za-z0-9_-]{43})">""")]
    private static partial Regex CsrfMeta();
}
