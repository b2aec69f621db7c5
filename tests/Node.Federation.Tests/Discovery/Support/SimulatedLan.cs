using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Node.Federation.Discovery;
using Node.Federation.Discovery.Dns;
using Node.Federation.Identity;

namespace Node.Federation.Tests.Discovery.Support;

/// <summary>Several discovery nodes on one simulated link, driven by a fake clock.</summary>
internal sealed class SimulatedLan : IDisposable
{
    private readonly List<SimulatedNode> _nodes = [];

    public SteppingTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));

    public InMemoryMdnsNetwork Network { get; }

    public SimulatedLan() => Network = new InMemoryMdnsNetwork(Time);

    public static NodeId NewNodeId() => NodeId.FromPublicKey(RandomNumberGenerator.GetBytes(32));

    /// <summary>A node announcing <paramref name="id"/> (a fresh one when null) on port 8102; null <paramref name="announce"/> browses only.</summary>
    public SimulatedNode Add(string name, string address, NodeId? id = null, int seed = 0, bool announce = true, bool start = true, ILoggerFactory? loggers = null)
    {
        var transport = Network.Attach(name, IPAddress.Parse(address), IPAddress.Parse($"fe80::{_nodes.Count + 1}"));
        var discovery = new MdnsDiscovery(transport, Time, loggers?.CreateLogger<MdnsDiscovery>() ?? NullLogger<MdnsDiscovery>.Instance, new Random(seed == 0 ? _nodes.Count + 17 : seed));
        var node = new SimulatedNode(name, transport, discovery, announce ? new ServiceProfile(id ?? NewNodeId(), 8102) : null);
        _nodes.Add(node);
        if (start)
        {
            node.Start();
        }

        return node;
    }

    public void Run(TimeSpan span) => Time.Advance(span);

    public void Run(double seconds) => Time.Advance(TimeSpan.FromSeconds(seconds));

    /// <summary>Every datagram sent, decoded (all of them parse: they are ours).</summary>
    public IReadOnlyList<(DateTimeOffset At, string From, DnsMessage Message, IPEndPoint? To)> Sent() =>
        Network.Sent.Select(p => (p.At, p.From, Parse(p.Data), p.UnicastTo)).ToArray();

    public static DnsMessage Parse(byte[] data) =>
        DnsMessage.TryParse(data, out var message, out var error) ? message : throw new InvalidOperationException($"Our own packet does not parse: {error}");

    public void Dispose()
    {
        foreach (var node in _nodes)
        {
            node.Discovery.Dispose();
        }
    }
}

/// <summary>One node of a <see cref="SimulatedLan"/> and what it has heard.</summary>
internal sealed class SimulatedNode
{
    public SimulatedNode(string name, IMdnsTransport transport, MdnsDiscovery discovery, ServiceProfile? profile)
    {
        Name = name;
        Transport = transport;
        Discovery = discovery;
        Profile = profile;
        discovery.Changed += change => { lock (Changes) { Changes.Add(change); } };
    }

    public string Name { get; }

    public IMdnsTransport Transport { get; }

    public MdnsDiscovery Discovery { get; }

    public ServiceProfile? Profile { get; }

    public List<DiscoveryChange> Changes { get; } = [];

    public void Start() => Discovery.Start(Profile);

    public IReadOnlyList<DiscoveryChange> ChangesOf(DiscoveryChangeKind kind)
    {
        lock (Changes)
        {
            return Changes.Where(c => c.Kind == kind).ToArray();
        }
    }
}
