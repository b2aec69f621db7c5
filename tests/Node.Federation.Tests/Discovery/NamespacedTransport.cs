using Microsoft.Extensions.Logging.Testing;
using Node.Federation.Discovery;
using Node.Testing.Network;

namespace Node.Federation.Tests.Discovery;

/// <summary>
/// A <see cref="UdpMdnsTransport"/> made and started inside a lab host's network namespace (on a
/// thread that entered it), with a recording sink and a fake logger. No periodic rescans and no
/// address-change watch: both would enumerate from a thread outside the namespace.
/// </summary>
internal sealed class NamespacedTransport : IAsyncDisposable
{
    private NamespacedTransport(NamespaceThread thread, UdpMdnsTransport transport, RecordingSink sink, FakeLogger<UdpMdnsTransport> logger)
    {
        Thread = thread;
        Transport = transport;
        Sink = sink;
        Logger = logger;
    }

    public NamespaceThread Thread { get; }

    public UdpMdnsTransport Transport { get; }

    public RecordingSink Sink { get; }

    public FakeLogger<UdpMdnsTransport> Logger { get; }

    public static async Task<NamespacedTransport> StartAsync(LabHost host, IReadOnlyList<string>? interfaces = null, RecordingSink? sink = null)
    {
        var options = new UdpMdnsTransportOptions { Interfaces = interfaces ?? [], RescanInterval = null, WatchAddressChanges = false };
        var logger = new FakeLogger<UdpMdnsTransport>();
        sink ??= new RecordingSink();
        var thread = await NamespaceThread.EnterAsync(host.Namespace);
        try
        {
            var transport = await thread.RunAsync(() =>
            {
                var transport = new UdpMdnsTransport(options, TimeProvider.System, logger);
                transport.Start(sink);
                return transport;
            });
            return new NamespacedTransport(thread, transport, sink, logger);
        }
        catch
        {
            thread.Dispose();
            throw;
        }
    }

    /// <summary>The index of the interface named <paramref name="name"/> in the transport's namespace.</summary>
    public int IndexOf(string name) => Transport.Interfaces.Single(i => i.Name == name).Index;

    /// <summary>Rescans the interfaces inside the namespace, as an address change would.</summary>
    public Task RescanAsync() => Thread.RunAsync(Transport.Rescan);

    public ValueTask DisposeAsync()
    {
        Transport.Dispose();
        Thread.Dispose();
        return ValueTask.CompletedTask;
    }
}
