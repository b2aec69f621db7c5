using System.Globalization;
using System.Text.Json;
using Node.Testing.Network;

namespace Node.Federation.Tests.Discovery;

/// <summary>
/// python-zeroconf (Debian's python3-zeroconf) on a lab host, through <c>Discovery/zeroconf_peer.py</c>
/// run by <c>/usr/bin/python3</c> (the <c>python3</c> on PATH may be a build without Debian's packages).
/// Its processes are the lab's: killed when the lab is disposed, if the test has not ended them.
/// </summary>
internal static class ZeroconfPeer
{
    private const string Python = "/usr/bin/python3";

    private static string Script => Path.Combine(AppContext.BaseDirectory, "Discovery", "zeroconf_peer.py");

    /// <summary>Throws, saying what to do, unless python3-zeroconf can be imported.</summary>
    public static async Task EnsureInstalledAsync()
    {
        var check = await NetworkLab.RunAsync([Python, "-c", "import zeroconf; print(zeroconf.__version__)"]);
        if (check.ExitCode != 0)
        {
            throw new InvalidOperationException($"The zeroconf interop tests need Debian's python3-zeroconf for {Python}; run scripts/install-deps.sh as root. {check.Output}");
        }
    }

    /// <summary>
    /// Publishes <c>INSTANCE._sovereign._tcp.local</c> on <c>HOST.local</c> at the link's IPv4 address, and
    /// returns once zeroconf has probed and announced it. Close its input to withdraw it (goodbye).
    /// </summary>
    public static async Task<LabProcess> PublishAsync(LabInterface link, string host, string instance, int port, IReadOnlyList<string> txt)
    {
        ArgumentNullException.ThrowIfNull(link);
        var publish = link.Host.Lab.Start(link.Host.Namespace,
            [Python, Script, "publish", link.IPv4.ToString(), host, instance, port.ToString(CultureInfo.InvariantCulture), .. txt]);
        await publish.WaitForLineAsync(l => l == "announced");
        return publish;
    }

    /// <summary>Publishes <paramref name="count"/> services, <c>INSTANCE 1</c> to <c>INSTANCE COUNT</c>, at once; returns once all are announced.</summary>
    public static async Task<LabProcess> PublishManyAsync(LabInterface link, string host, string instance, int count, int port)
    {
        ArgumentNullException.ThrowIfNull(link);
        var publish = link.Host.Lab.Start(link.Host.Namespace,
            [Python, Script, "publish-many", link.IPv4.ToString(), host, instance, count.ToString(CultureInfo.InvariantCulture), port.ToString(CultureInfo.InvariantCulture)]);
        await publish.WaitForLineAsync(l => l == "announced");
        return publish;
    }

    /// <summary>
    /// Waits until a publishing zeroconf has put together a query for <c>_sovereign._tcp.local</c> that
    /// <paramref name="match"/> accepts, and returns what it made of it.
    /// </summary>
    public static async Task<ZeroconfQuery> WaitForQueryAsync(LabProcess publish, Func<ZeroconfQuery, bool> match)
    {
        ArgumentNullException.ThrowIfNull(publish);
        var line = await publish.WaitForLineAsync(l => ZeroconfQuery.TryParse(l) is { } query && match(query));
        return ZeroconfQuery.TryParse(line)!;
    }

    /// <summary>Starts browsing <c>_sovereign._tcp.local</c> from the link's IPv4 address; returns once zeroconf listens.</summary>
    public static async Task<LabProcess> BrowseAsync(LabInterface link)
    {
        ArgumentNullException.ThrowIfNull(link);
        var browse = link.Host.Lab.Start(link.Host.Namespace, [Python, Script, "browse", link.IPv4.ToString()]);
        await browse.WaitForLineAsync(l => l == "browsing");
        return browse;
    }

    /// <summary>Waits until <paramref name="browse"/> has resolved the instance named <paramref name="instance"/> (its first label).</summary>
    public static async Task<ZeroconfService> WaitForServiceAsync(LabProcess browse, string instance)
    {
        ArgumentNullException.ThrowIfNull(browse);
        var line = await browse.WaitForLineAsync(l => ZeroconfService.TryParse(l)?.Instance == $"{instance}._sovereign._tcp.local.");
        return ZeroconfService.TryParse(line)!;
    }
}

/// <summary>A service as zeroconf resolved it: one JSON line of <c>zeroconf_peer.py browse</c>.</summary>
internal sealed record ZeroconfService(string Instance, string Server, int Port, IReadOnlyList<string> Addresses, IReadOnlyDictionary<string, string?> Txt)
{
    public static ZeroconfService? TryParse(string line)
    {
        if (!line.StartsWith('{'))
        {
            return null;
        }

        var json = JsonDocument.Parse(line).RootElement;
        if (!json.TryGetProperty("port", out var port))
        {
            return null; // {"instance": …, "unresolved": true}
        }

        return new ZeroconfService(json.GetProperty("instance").GetString()!, json.GetProperty("server").GetString()!, port.GetInt32(),
            [.. json.GetProperty("addresses").EnumerateArray().Select(a => a.GetString()!)],
            json.GetProperty("txt").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()));
    }
}

/// <summary>
/// A query as zeroconf's responder put it together (RFC 6762 §7.2: the packets of one query with TC) and
/// answered it: one <c>{"assembled": …}</c> line of <c>zeroconf_peer.py publish</c>.
/// </summary>
internal sealed record ZeroconfQuery(int Packets, IReadOnlyList<bool> Truncated, int Known, IReadOnlyList<string> Pointers)
{
    public static ZeroconfQuery? TryParse(string line)
    {
        if (!line.StartsWith("{\"assembled\"", StringComparison.Ordinal))
        {
            return null;
        }

        var json = JsonDocument.Parse(line).RootElement.GetProperty("assembled");
        return new ZeroconfQuery(json.GetProperty("packets").GetInt32(), [.. json.GetProperty("truncated").EnumerateArray().Select(t => t.GetBoolean())],
            json.GetProperty("known").GetInt32(), [.. json.GetProperty("pointers").EnumerateArray().Select(p => p.GetString()!)]);
    }
}
