using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Node.Testing.Network;

/// <summary>
/// Linux network namespaces for multicast tests: hosts (one namespace each) on shared links
/// (a bridge in a hub namespace) or direct veth pairs, with fixed IPv4 (10.0.S.H/24) and
/// link-local IPv6 (fe80::S:H, no DAD) addresses. Everything made here carries the prefix
/// <c>sn{pid}x{n}</c> and is removed on dispose: the processes started in it, then the namespaces
/// (which takes their veths with them). Creating a lab first removes what earlier test
/// processes, now gone, left behind. Needs root and iproute2.
/// </summary>
public sealed partial class NetworkLab : IAsyncDisposable
{
    private static int s_labs;

    private readonly List<string> _namespaces = [];
    private readonly List<LabProcess> _processes = [];
    private readonly Lock _gate = new();
    private int _hosts;
    private int _segments;

    private NetworkLab(string prefix) => Prefix = prefix;

    /// <summary>This lab's name prefix: <c>sn{pid}x{n}</c>.</summary>
    public string Prefix { get; }

    /// <summary>The namespaces made so far.</summary>
    public IReadOnlyList<string> Namespaces
    {
        get
        {
            lock (_gate)
            {
                return [.. _namespaces];
            }
        }
    }

    /// <summary>A new, empty lab, after checking that namespaces can be made and sweeping stale ones.</summary>
    /// <exception cref="InvalidOperationException">Not root, or no usable <c>ip netns</c>.</exception>
    public static async Task<NetworkLab> CreateAsync()
    {
        await EnsureUsableAsync();
        await SweepStaleAsync();
        return new NetworkLab($"sn{Environment.ProcessId}x{Interlocked.Increment(ref s_labs)}");
    }

    /// <summary>Throws, saying what to do, unless this process may make network namespaces.</summary>
    public static async Task EnsureUsableAsync()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            throw new InvalidOperationException(
                "The network-namespace tests must run as root (they call 'ip netns add'); run the tests as root or in a privileged container.");
        }

        CommandResult result;
        try
        {
            result = await RunAsync(["ip", "netns", "list"]);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"The network-namespace tests need iproute2's 'ip' ({ex.Message}); run scripts/install-deps.sh as root.", ex);
        }

        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"'ip netns list' failed ({result.ExitCode}): {result.Output}. The network-namespace tests need iproute2 and CAP_SYS_ADMIN.");
        }
    }

    /// <summary>
    /// Removes namespaces named <c>sn{pid}x…</c> whose pid no longer runs (a test process that
    /// was killed before its cleanup), killing what still runs in them. Returns their names.
    /// </summary>
    public static async Task<IReadOnlyList<string>> SweepStaleAsync()
    {
        var removed = new List<string>();
        foreach (var name in await ListNamespacesAsync())
        {
            if (LabName().Match(name) is { Success: true } match
                && int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) is var pid
                && pid != Environment.ProcessId && !Directory.Exists($"/proc/{pid}"))
            {
                await DeleteNamespaceAsync(name);
                removed.Add(name);
            }
        }

        return removed;
    }

    /// <summary>The namespaces that exist now (all of them, not only this lab's).</summary>
    public static async Task<IReadOnlyList<string>> ListNamespacesAsync()
    {
        var result = await RunAsync(["ip", "netns", "list"]);
        return [.. result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => l.Split(' ')[0])];
    }

    /// <summary>A new host: a namespace with <c>lo</c> up and no other link yet.</summary>
    public async Task<LabHost> AddHostAsync()
    {
        var number = Interlocked.Increment(ref _hosts);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(number, 250);
        var name = await AddNamespaceAsync($"{Prefix}h{number}");
        return new LabHost(this, name, number);
    }

    /// <summary>A new shared link: a bridge (no multicast snooping, no STP) in a hub namespace of its own.</summary>
    public async Task<LabSegment> AddSegmentAsync()
    {
        var number = Interlocked.Increment(ref _segments);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(number, 250);
        var hub = await AddNamespaceAsync($"{Prefix}s{number}");
        // Without snooping the bridge floods every multicast to every port, as a plain switch would.
        await RunCheckedAsync(hub, "ip", "link", "add", "br0", "type", "bridge", "mcast_snooping", "0", "stp_state", "0");
        await RunCheckedAsync(hub, "ip", "link", "set", "br0", "up");
        return new LabSegment(this, hub, number);
    }

    /// <summary>
    /// Plugs <paramref name="host"/> into <paramref name="segment"/> with a veth named
    /// <paramref name="interfaceName"/> (default <c>eth{k}</c>), addressed 10.0.S.H/24 and fe80::S:H,
    /// and returns once the link is up on both ends.
    /// </summary>
    public async Task<LabInterface> ConnectAsync(LabHost host, LabSegment segment, string? interfaceName = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(segment);
        if (host.Lab != this || segment.Lab != this)
        {
            throw new ArgumentException("The host and the segment must belong to this lab.", nameof(host));
        }

        var name = interfaceName ?? host.NextInterfaceName();
        var port = $"h{host.Number}n{segment.Number}";
        await RunCheckedAsync(host.Namespace, "ip", "link", "add", name, "type", "veth", "peer", "name", port, "netns", segment.HubNamespace);
        await RunCheckedAsync(segment.HubNamespace, "ip", "link", "set", port, "addrgenmode", "none");
        await RunCheckedAsync(segment.HubNamespace, "ip", "link", "set", port, "master", "br0", "up");
        var link = await ConfigureAsync(host, name, segment.Number);
        await WaitUntilUpAsync(host.Namespace, name);
        return link;
    }

    /// <summary>Joins two hosts directly with a veth pair (a link of its own number), both ends addressed.</summary>
    public async Task<(LabInterface A, LabInterface B)> ConnectAsync(LabHost a, LabHost b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var number = Interlocked.Increment(ref _segments);
        var nameA = a.NextInterfaceName();
        var nameB = b.NextInterfaceName();
        await RunCheckedAsync(a.Namespace, "ip", "link", "add", nameA, "type", "veth", "peer", "name", nameB, "netns", b.Namespace);
        var linkB = await ConfigureAsync(b, nameB, number);
        var linkA = await ConfigureAsync(a, nameA, number);
        await WaitUntilUpAsync(a.Namespace, nameA);
        await WaitUntilUpAsync(b.Namespace, nameB);
        return (linkA, linkB);
    }

    /// <summary>Runs <paramref name="command"/> to its end inside <paramref name="ns"/>.</summary>
    public static Task<CommandResult> RunInAsync(string ns, params string[] command) => RunAsync(["ip", "netns", "exec", ns, .. command]);

    /// <summary>Runs <paramref name="command"/> inside <paramref name="ns"/>; throws with its output unless it exits 0.</summary>
    public static async Task<string> RunCheckedAsync(string ns, params string[] command)
    {
        // "ip -n NS …" saves an exec for the common case.
        var result = command is ["ip", .. var rest] ? await RunAsync(["ip", "-n", ns, .. rest]) : await RunInAsync(ns, command);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{string.Join(' ', command)}' in {ns} exited {result.ExitCode}: {result.Output}");
        }

        return result.Output;
    }

    /// <summary>
    /// Starts a long-running <paramref name="command"/> inside <paramref name="ns"/> (through
    /// <c>ip netns exec</c>, which also gives it that namespace's <c>/sys</c>); killed on dispose.
    /// </summary>
    public LabProcess Start(string ns, IReadOnlyList<string> command, IReadOnlyDictionary<string, string>? environment = null)
    {
        var process = LabProcess.Start(["ip", "netns", "exec", ns, .. command], environment);
        lock (_gate)
        {
            _processes.Add(process);
        }

        return process;
    }

    /// <summary>Kills every process started here, then deletes every namespace (and so every link).</summary>
    public async ValueTask DisposeAsync()
    {
        List<LabProcess> processes;
        List<string> namespaces;
        lock (_gate)
        {
            processes = [.. _processes];
            namespaces = [.. _namespaces];
            _processes.Clear();
            _namespaces.Clear();
        }

        foreach (var process in processes)
        {
            await process.DisposeAsync();
        }

        for (var i = namespaces.Count - 1; i >= 0; i--)
        {
            await DeleteNamespaceAsync(namespaces[i]);
        }
    }

    public static async Task<CommandResult> RunAsync(IReadOnlyList<string> command)
    {
        await using var process = LabProcess.Start(command);
        var code = await process.WaitForExitAsync();
        return new CommandResult(code, process.Output);
    }

    private async Task<string> AddNamespaceAsync(string name)
    {
        var result = await RunAsync(["ip", "netns", "add", name]);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"'ip netns add {name}' exited {result.ExitCode}: {result.Output}");
        }

        lock (_gate)
        {
            _namespaces.Add(name);
        }

        await RunCheckedAsync(name, "ip", "link", "set", "lo", "up");
        return name;
    }

    // No kernel-made link-local address (it would need DAD); a fixed one with nodad is usable at once.
    private static async Task<LabInterface> ConfigureAsync(LabHost host, string name, int link)
    {
        var ipv4 = IPAddress.Parse($"10.0.{link}.{host.Number}");
        var ipv6 = IPAddress.Parse($"fe80::{link:x}:{host.Number:x}");
        await RunCheckedAsync(host.Namespace, "ip", "link", "set", name, "addrgenmode", "none");
        await RunCheckedAsync(host.Namespace, "ip", "addr", "add", $"{ipv4}/24", "dev", name);
        await RunCheckedAsync(host.Namespace, "ip", "addr", "add", $"{ipv6}/64", "dev", name, "nodad");
        await RunCheckedAsync(host.Namespace, "ip", "link", "set", name, "multicast", "on", "up");
        if (host.AddInterface(name) == 0)
        {
            // For programs that multicast without choosing an interface (IP_MULTICAST_IF).
            await RunCheckedAsync(host.Namespace, "ip", "route", "add", "224.0.0.0/4", "dev", name);
        }

        return new LabInterface(host, name, ipv4, ipv6);
    }

    // The kernel sets a veth's operational state after "link set up", asynchronously (linkwatch).
    // A tiny watcher subscribes to the namespace's link events first, then reads the state, and
    // reads it again after each event until it is up: no event can slip between check and wait.
    private const string LinkUpWatcher = """
        import socket, sys
        events = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
        events.bind((0, 1))  # RTMGRP_LINK
        state = "/sys/class/net/%s/operstate" % sys.argv[1]
        while open(state).read().strip() != "up":
            events.recv(65536)
        """;

    private static async Task WaitUntilUpAsync(string ns, string name) => await RunCheckedAsync(ns, "python3", "-c", LinkUpWatcher, name);

    private static async Task DeleteNamespaceAsync(string name)
    {
        // Whatever still runs there (a daemon started by hand) would keep the namespace alive.
        var pids = await RunAsync(["ip", "netns", "pids", name]);
        foreach (var line in pids.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (int.TryParse(line, CultureInfo.InvariantCulture, out var pid) && pid != Environment.ProcessId)
            {
                try
                {
                    using var process = Process.GetProcessById(pid);
                    process.Kill();
                    await process.WaitForExitAsync().WaitAsync(LabProcess.DefaultTimeout);
                }
                catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
                {
                    // Already gone.
                }
            }
        }

        await RunAsync(["ip", "netns", "del", name]);
    }

    [GeneratedRegex(@"^sn(\d+)x\d+[hs]\d+$")]
    private static partial Regex LabName();
}

/// <summary>A command's exit code and output (stdout and stderr, line by line).</summary>
public sealed record CommandResult(int ExitCode, string Output);

/// <summary>One host of a <see cref="NetworkLab"/>: a network namespace.</summary>
public sealed class LabHost(NetworkLab lab, string ns, int number)
{
    private readonly List<string> _interfaces = [];

    public NetworkLab Lab { get; } = lab;

    /// <summary>The namespace's name (for <c>ip netns exec</c>, <see cref="NamespaceThread"/>).</summary>
    public string Namespace { get; } = ns;

    /// <summary>The host's number H, the last byte of its addresses.</summary>
    public int Number { get; } = number;

    internal string NextInterfaceName()
    {
        lock (_interfaces)
        {
            return $"eth{_interfaces.Count}";
        }
    }

    // Returns how many the host had before.
    internal int AddInterface(string name)
    {
        lock (_interfaces)
        {
            _interfaces.Add(name);
            return _interfaces.Count - 1;
        }
    }

    public override string ToString() => Namespace;
}

/// <summary>A shared link: the bridge <c>br0</c> in its own hub namespace.</summary>
public sealed record LabSegment(NetworkLab Lab, string HubNamespace, int Number);

/// <summary>A host's end of a link.</summary>
/// <param name="Host">The host.</param>
/// <param name="Name">The interface name in the host's namespace.</param>
/// <param name="IPv4">10.0.S.H (/24).</param>
/// <param name="IPv6LinkLocal">fe80::S:H (/64), without scope id.</param>
public sealed record LabInterface(LabHost Host, string Name, IPAddress IPv4, IPAddress IPv6LinkLocal);
