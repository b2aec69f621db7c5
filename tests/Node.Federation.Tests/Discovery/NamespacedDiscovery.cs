using Microsoft.Extensions.Logging.Testing;
using Node.Federation.Discovery;
using Node.Testing.Network;

namespace Node.Federation.Tests.Discovery;

/// <summary>
/// Our discovery (responder and browser) running for real inside a lab host's network namespace: a
/// <see cref="UdpMdnsTransport"/> made and started on a thread that entered it, as in
/// <see cref="NamespacedTransport"/>, with every datagram it hears also kept for the test to read, and
/// the changes it raises recorded and awaitable. Disposing stops it (goodbyes) and closes its sockets.
/// </summary>
internal sealed class NamespacedDiscovery : IAsyncDisposable
{
    private readonly NamespaceThread _thread;
    private readonly UdpMdnsTransport _transport;
    private readonly Lock _gate = new();
    private readonly List<DiscoveryChange> _changes = [];
    private readonly List<(Func<DiscoveryChange, bool> Match, TaskCompletionSource<DiscoveryChange> Found)> _waiters = [];

    private NamespacedDiscovery(NamespaceThread thread, UdpMdnsTransport transport, MdnsDiscovery discovery, RecordingSink heard, FakeLogger<MdnsDiscovery> logger)
    {
        _thread = thread;
        _transport = transport;
        Discovery = discovery;
        Heard = heard;
        Logger = logger;
        discovery.Changed += OnChanged;
    }

    public MdnsDiscovery Discovery { get; }

    /// <summary>Every datagram the transport handed up, before discovery read it.</summary>
    public RecordingSink Heard { get; }

    public FakeLogger<MdnsDiscovery> Logger { get; }

    /// <summary>Starts discovery in <paramref name="host"/>'s namespace: announcing <paramref name="profile"/>, or only browsing when null.</summary>
    public static async Task<NamespacedDiscovery> StartAsync(LabHost host, ServiceProfile? profile)
    {
        ArgumentNullException.ThrowIfNull(host);
        var options = new UdpMdnsTransportOptions { RescanInterval = null, WatchAddressChanges = false };
        var logger = new FakeLogger<MdnsDiscovery>();
        var heard = new RecordingSink();
        var thread = await NamespaceThread.EnterAsync(host.Namespace);
        UdpMdnsTransport? transport = null;
        MdnsDiscovery? discovery = null;
        try
        {
            (transport, discovery) = await thread.RunAsync(() =>
            {
                var udp = new UdpMdnsTransport(options, TimeProvider.System, new FakeLogger<UdpMdnsTransport>());
                return (udp, new MdnsDiscovery(new Tap(udp, heard), TimeProvider.System, logger));
            });
            var started = new NamespacedDiscovery(thread, transport, discovery, heard, logger);
            await thread.RunAsync(() => discovery.Start(profile)); // enumerates the interfaces: inside the namespace
            return started;
        }
        catch
        {
            discovery?.Dispose();
            transport?.Dispose();
            thread.Dispose();
            throw;
        }
    }

    /// <summary>The first change (raised before or after the call) that <paramref name="match"/> accepts; fails after 60 s.</summary>
    public async Task<DiscoveryChange> WaitForAsync(Func<DiscoveryChange, bool> match)
    {
        var found = new TaskCompletionSource<DiscoveryChange>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            var seen = _changes.FindIndex(c => match(c));
            if (seen >= 0)
            {
                return _changes[seen];
            }

            _waiters.Add((match, found));
        }

        try
        {
            return await found.Task.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            lock (_gate)
            {
                throw new TimeoutException($"The awaited discovery change did not come within 60 s; changes: {string.Join("; ", _changes.Select(c => $"{c.Kind} {c.Service.Instance}"))}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Discovery.Dispose();
        _transport.Dispose();
        _thread.Dispose();
        await ValueTask.CompletedTask;
    }

    private void OnChanged(DiscoveryChange change)
    {
        List<TaskCompletionSource<DiscoveryChange>> matched;
        lock (_gate)
        {
            _changes.Add(change);
            var hits = _waiters.Where(w => w.Match(change)).ToList();
            _waiters.RemoveAll(hits.Contains);
            matched = [.. hits.Select(h => h.Found)];
        }

        foreach (var found in matched)
        {
            found.TrySetResult(change);
        }
    }

    /// <summary>The transport as discovery sees it, with every datagram also handed to a recording sink first.</summary>
    private sealed class Tap(IMdnsTransport inner, RecordingSink heard) : IMdnsTransport
    {
        public IReadOnlyList<MdnsInterface> Interfaces => inner.Interfaces;

        public void Start(IMdnsTransportSink sink) => inner.Start(new Tee(heard, sink));

        public void SendMulticast(int interfaceIndex, ReadOnlySpan<byte> packet) => inner.SendMulticast(interfaceIndex, packet);

        public void SendUnicast(int interfaceIndex, System.Net.IPEndPoint destination, ReadOnlySpan<byte> packet) => inner.SendUnicast(interfaceIndex, destination, packet);

        public IReadOnlyList<MdnsLinkStatistics> Statistics() => inner.Statistics();

        public void Dispose() => inner.Dispose();
    }

    private sealed class Tee(IMdnsTransportSink first, IMdnsTransportSink second) : IMdnsTransportSink
    {
        public void OnPacket(in MdnsPacket packet)
        {
            first.OnPacket(packet);
            second.OnPacket(packet);
        }

        public void OnInterfacesChanged(IReadOnlyList<MdnsInterface> interfaces)
        {
            first.OnInterfacesChanged(interfaces);
            second.OnInterfacesChanged(interfaces);
        }
    }
}
