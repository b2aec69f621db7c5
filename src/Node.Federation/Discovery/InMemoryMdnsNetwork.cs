using System.Net;

namespace Node.Federation.Discovery;

/// <summary>
/// A simulated link for tests: every attached transport hears every multicast (its own included,
/// as with multicast loopback) after a fixed latency on the <see cref="TimeProvider"/>, so a fake
/// clock drives whole conversations between responders and browsers deterministically.
/// </summary>
public sealed class InMemoryMdnsNetwork
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _latency;
    private readonly Lock _gate = new();
    private readonly List<Transport> _transports = [];
    private readonly PriorityQueue<Delivery, (long, long)> _queue = new();
    private readonly List<SentPacket> _sent = [];
    private readonly ITimer _timer;
    private long _sequence;

    /// <summary>A link whose datagrams take <paramref name="latency"/> (1 ms when not given).</summary>
    public InMemoryMdnsNetwork(TimeProvider time, TimeSpan? latency = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _latency = latency ?? TimeSpan.FromMilliseconds(1);
        _timer = time.CreateTimer(_ => Deliver(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Every datagram sent so far, in order.</summary>
    public IReadOnlyList<SentPacket> Sent
    {
        get
        {
            lock (_gate)
            {
                return _sent.ToArray();
            }
        }
    }

    /// <summary>A host on the link with one interface of this name and these addresses.</summary>
    public IMdnsTransport Attach(string interfaceName, params IPAddress[] addresses)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(interfaceName);
        ArgumentNullException.ThrowIfNull(addresses);
        lock (_gate)
        {
            var transport = new Transport(this, new MdnsInterface(2, interfaceName, addresses));
            _transports.Add(transport);
            return transport;
        }
    }

    /// <summary>Gives a host's interface new addresses, as when DHCP renews; the host hears of the change.</summary>
    public void SetAddresses(IMdnsTransport host, params IPAddress[] addresses)
    {
        var transport = Own(host);
        transport.Interface = transport.Interface with { Addresses = addresses };
        transport.Sink?.OnInterfacesChanged(transport.Interfaces);
    }

    /// <summary>Takes a host's interface away (or gives it back); the host hears of the change.</summary>
    public void SetConnected(IMdnsTransport host, bool connected)
    {
        var transport = Own(host);
        transport.Connected = connected;
        transport.Sink?.OnInterfacesChanged(transport.Interfaces);
    }

    private Transport Own(IMdnsTransport host)
    {
        lock (_gate)
        {
            return host is Transport transport && _transports.Contains(transport)
                ? transport
                : throw new ArgumentException("The host is not attached to this network.", nameof(host));
        }
    }

    /// <summary>Puts a datagram from a host not modelled here (a test's own querier) on the link.</summary>
    public void Inject(ReadOnlySpan<byte> datagram, IPEndPoint source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var data = datagram.ToArray();
        lock (_gate)
        {
            foreach (var target in _transports)
            {
                Enqueue(new Delivery(target, data, source));
            }
        }
    }

    private void Send(Transport from, ReadOnlySpan<byte> datagram, IPEndPoint? unicast)
    {
        if (!from.Connected)
        {
            return;
        }

        var data = datagram.ToArray();
        var source = new IPEndPoint(from.Interface.Addresses.Count > 0 ? from.Interface.Addresses[0] : IPAddress.None, 5353);
        lock (_gate)
        {
            _sent.Add(new SentPacket(_time.GetUtcNow(), from.Interface.Name, data, unicast));
            from.PacketsSent++;
            foreach (var target in _transports)
            {
                if (unicast is null || target.Interface.Addresses.Contains(unicast.Address))
                {
                    Enqueue(new Delivery(target, data, source));
                }
            }
        }
    }

    private void Enqueue(Delivery delivery)
    {
        var due = _time.GetTimestamp() + (long)(_latency.TotalSeconds * _time.TimestampFrequency);
        _queue.Enqueue(delivery, (due, _sequence++));
        if (_queue.Count == 1)
        {
            // Every datagram takes the same latency: the head is the earliest, and the timer is armed for it already.
            _timer.Change(_latency, Timeout.InfiniteTimeSpan);
        }
    }

    private void Deliver()
    {
        while (true)
        {
            Delivery delivery;
            lock (_gate)
            {
                if (!_queue.TryPeek(out delivery!, out var at))
                {
                    return;
                }

                var wait = at.Item1 - _time.GetTimestamp();
                if (wait > 0)
                {
                    _timer.Change(TimeSpan.FromSeconds((double)wait / _time.TimestampFrequency), Timeout.InfiniteTimeSpan);
                    return;
                }

                _queue.Dequeue();
                if (!delivery.Target.Connected || delivery.Target.Sink is null)
                {
                    continue;
                }

                delivery.Target.PacketsReceived++;
            }

            delivery.Target.Sink.OnPacket(new MdnsPacket(delivery.Data, delivery.Source, delivery.Target.Interface.Index));
        }
    }

    /// <summary>A datagram as it was sent.</summary>
    /// <param name="At">When.</param>
    /// <param name="From">The sending host's interface name.</param>
    /// <param name="Data">Its bytes.</param>
    /// <param name="UnicastTo">The destination of a unicast; null for multicast.</param>
    public sealed record SentPacket(DateTimeOffset At, string From, byte[] Data, IPEndPoint? UnicastTo);

    private sealed record Delivery(Transport Target, byte[] Data, IPEndPoint Source);

    private sealed class Transport(InMemoryMdnsNetwork network, MdnsInterface networkInterface) : IMdnsTransport
    {
        public MdnsInterface Interface { get; set; } = networkInterface;

        public bool Connected { get; set; } = true;

        public IMdnsTransportSink? Sink { get; private set; }

        public long PacketsSent { get; set; }

        public long PacketsReceived { get; set; }

        public IReadOnlyList<MdnsInterface> Interfaces => Connected ? [Interface] : [];

        public void Start(IMdnsTransportSink sink) => Sink = sink ?? throw new ArgumentNullException(nameof(sink));

        public void SendMulticast(int interfaceIndex, ReadOnlySpan<byte> packet) => network.Send(this, packet, null);

        public void SendUnicast(int interfaceIndex, IPEndPoint destination, ReadOnlySpan<byte> packet) => network.Send(this, packet, destination);

        public IReadOnlyList<MdnsLinkStatistics> Statistics() =>
            Connected ? [new MdnsLinkStatistics(Interface.Index, Interface.Name, true, true, PacketsSent, PacketsReceived, 0, null)] : [];

        public void Dispose() => Sink = null;
    }
}
