namespace Node.Testing.Network;

/// <summary>
/// A real Avahi on one interface of a <see cref="NetworkLab"/> host, to check interoperation:
/// a private dbus-daemon (its own config, allowing everything) and avahi-daemon in the host's
/// namespace with a private <c>/run/avahi-daemon</c>, plus avahi-browse and avahi-publish
/// talking to them. Readiness is read from the daemons' output. Stopped on dispose (and by the lab).
/// </summary>
public sealed class AvahiDaemon : IAsyncDisposable
{
    private readonly DirectoryInfo _directory;
    private readonly List<LabProcess> _processes = [];

    private AvahiDaemon(LabInterface link, DirectoryInfo directory)
    {
        Link = link;
        _directory = directory;
        HostName = $"{link.Host.Namespace}-avahi";
    }

    /// <summary>The interface Avahi is allowed on.</summary>
    public LabInterface Link { get; }

    /// <summary>The host name it announces (unique per host, since namespaces share the UTS name).</summary>
    public string HostName { get; }

    /// <summary>The private bus (<c>DBUS_SYSTEM_BUS_ADDRESS</c> for the Avahi tools).</summary>
    public string BusAddress { get; private set; } = "";

    private Dictionary<string, string> Environment => new() { ["DBUS_SYSTEM_BUS_ADDRESS"] = BusAddress };

    /// <summary>Starts dbus-daemon and avahi-daemon in <paramref name="link"/>'s host, Avahi allowed on that interface only.</summary>
    public static async Task<AvahiDaemon> StartAsync(LabInterface link)
    {
        ArgumentNullException.ThrowIfNull(link);
        var avahi = new AvahiDaemon(link, Directory.CreateTempSubdirectory("sovereign-avahi-"));
        try
        {
            await avahi.StartDaemonsAsync();
            return avahi;
        }
        catch
        {
            await avahi.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Publishes a <paramref name="type"/> service (default <c>_sovereign._tcp</c>) with avahi-publish
    /// and returns once Avahi has established it (probed and announced); kill it to withdraw.
    /// </summary>
    public async Task<LabProcess> PublishAsync(string name, int port, IReadOnlyList<string> txt, string type = "_sovereign._tcp")
    {
        var publish = Start(["avahi-publish", "-s", name, type, port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. txt]);
        await publish.WaitForLineAsync(l => l.StartsWith("Established under name", StringComparison.Ordinal));
        return publish;
    }

    /// <summary>Browses and resolves <paramref name="type"/> once (<c>avahi-browse -rpt</c>) and returns the resolved services.</summary>
    public async Task<IReadOnlyList<AvahiService>> BrowseOnceAsync(string type = "_sovereign._tcp")
    {
        await using var browse = Start(["avahi-browse", "-rpt", type]);
        await browse.WaitForExitAsync();
        return [.. browse.Lines.Select(AvahiService.TryParse).OfType<AvahiService>()];
    }

    /// <summary>
    /// Starts a lasting <c>avahi-browse -rp</c>; <see cref="WaitForServiceAsync"/> waits on its
    /// output for a service to be resolved.
    /// </summary>
    public LabProcess StartBrowsing(string type = "_sovereign._tcp") => Start(["avahi-browse", "-rp", type]);

    /// <summary>Waits until <paramref name="browse"/> has resolved an instance named <paramref name="name"/>.</summary>
    public static async Task<AvahiService> WaitForServiceAsync(LabProcess browse, string name)
    {
        ArgumentNullException.ThrowIfNull(browse);
        var line = await browse.WaitForLineAsync(l => AvahiService.TryParse(l)?.Name == name);
        return AvahiService.TryParse(line)!;
    }

    /// <summary>Stops everything it started and removes its files.</summary>
    public async ValueTask DisposeAsync()
    {
        for (var i = _processes.Count - 1; i >= 0; i--)
        {
            await _processes[i].DisposeAsync();
        }

        _directory.Delete(recursive: true);
    }

    private LabProcess Start(IReadOnlyList<string> command)
    {
        var process = Link.Host.Lab.Start(Link.Host.Namespace, command, Environment);
        _processes.Add(process);
        return process;
    }

    private async Task StartDaemonsAsync()
    {
        var busConfig = Path.Combine(_directory.FullName, "bus.conf");
        var avahiConfig = Path.Combine(_directory.FullName, "avahi-daemon.conf");
        await File.WriteAllTextAsync(busConfig, $"""
            <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
             "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
            <busconfig>
              <type>system</type>
              <listen>unix:path={Path.Combine(_directory.FullName, "bus")}</listen>
              <auth>EXTERNAL</auth>
              <policy context="default">
                <allow user="*"/>
                <allow own="*"/>
                <allow send_destination="*" eavesdrop="true"/>
                <allow receive_sender="*"/>
                <allow eavesdrop="true"/>
              </policy>
            </busconfig>
            """);
        await File.WriteAllTextAsync(avahiConfig, $"""
            [server]
            host-name={HostName}
            use-ipv4=yes
            use-ipv6=yes
            allow-interfaces={Link.Name}
            enable-dbus=yes
            ratelimit-interval-usec=0

            [wide-area]
            enable-wide-area=no

            [publish]
            publish-hinfo=no
            publish-workstation=no
            publish-addresses=yes

            [reflector]
            enable-reflector=no
            """);

        var bus = Start(["dbus-daemon", $"--config-file={busConfig}", "--nofork", "--nopidfile", "--print-address"]);
        BusAddress = (await bus.WaitForLineAsync(l => l.StartsWith("unix:", StringComparison.Ordinal))).Trim();

        // A private mount namespace with its own /run, so each Avahi has its own /run/avahi-daemon
        // (pid file, socket) and nothing is made in the host's /run.
        var avahi = Start(["unshare", "-m", "sh", "-c",
            "mount -t tmpfs tmpfs /run && mkdir /run/avahi-daemon && exec avahi-daemon --no-drop-root --no-chroot --no-rlimits -f \"$0\"",
            avahiConfig]);
        await avahi.WaitForLineAsync(l => l.Contains("Server startup complete", StringComparison.Ordinal));
    }
}

/// <summary>One resolved line of <c>avahi-browse -p</c>: <c>=;eth0;IPv4;name;type;domain;host;address;port;"txt"…</c>.</summary>
public sealed record AvahiService(string Interface, string Protocol, string Name, string Type, string Domain, string HostName,
    string Address, int Port, IReadOnlyList<string> Txt)
{
    /// <summary>The service a resolved line describes, or null for any other line.</summary>
    public static AvahiService? TryParse(string line)
    {
        var fields = line.Split(';');
        if (fields.Length < 10 || fields[0] != "=" || !int.TryParse(fields[8], System.Globalization.CultureInfo.InvariantCulture, out var port))
        {
            return null;
        }

        var txt = string.Join(';', fields[9..]).Split("\" \"").Select(t => t.Trim('"')).Where(t => t.Length > 0).ToList();
        return new AvahiService(fields[1], fields[2], Unescape(fields[3]), fields[4], fields[5], fields[6], fields[7], port, txt);
    }

    // avahi-browse -p escapes as \DDD (decimal): "My\032Node" is "My Node".
    private static string Unescape(string value)
    {
        var text = new System.Text.StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 3 < value.Length && int.TryParse(value.AsSpan(i + 1, 3), System.Globalization.CultureInfo.InvariantCulture, out var code))
            {
                text.Append((char)code);
                i += 3;
            }
            else
            {
                text.Append(value[i]);
            }
        }

        return text.ToString();
    }
}
