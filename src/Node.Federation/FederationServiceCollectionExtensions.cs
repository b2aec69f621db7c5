using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Node.Federation.Discovery;
using Node.Federation.Identity;
using Node.Federation.Internal;
using Node.Federation.Link;
using Node.Federation.Packets;
using Node.Federation.Link.Client;
using Node.Federation.Link.Server;
using Node.Federation.Link.Tls;
using Node.Federation.Peers;
using Node.Federation.Trust;

namespace Node.Federation;

/// <summary>Registers the federation layer.</summary>
public static class FederationServiceCollectionExtensions
{
    /// <summary>
    /// Adds the federation settings' validators. The caller binds <see cref="FederationOptions"/> to
    /// <see cref="FederationOptions.SectionName"/>, <see cref="DiscoveryOptions"/> to <see cref="DiscoveryOptions.SectionName"/>
    /// and <see cref="PeerLinkOptions"/> to <see cref="PeerLinkOptions.SectionName"/>.
    /// </summary>
    public static IServiceCollection AddFederation(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FederationOptions>, FederationOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DiscoveryOptions>, DiscoveryOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PeerLinkOptions>, PeerLinkOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<Sync.SyncOptions>, SyncOptionsValidator>());
        return services;
    }

    /// <summary>
    /// Adds the node identity, loaded before the host is built (<see cref="IdentityHost.LoadOrCreate"/>,
    /// then <see cref="IdentityRotation.OpenAsync"/>), and <see cref="IdentityRotation"/> (needs the store).
    /// The container does not own the identity: whoever loaded it disposes it after the host.
    /// </summary>
    public static IServiceCollection AddNodeIdentity(this IServiceCollection services, IdentityHost identity)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(identity);
        services.AddSingleton(identity);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IdentityRotation>();
        return services;
    }

    /// <summary>
    /// Adds the scrub of stored packets (<see cref="PacketScrub"/>) and its schedule
    /// (<see cref="PacketScrubWorker"/>, every <c>Storage:ScrubInterval</c>). Needs the store, the
    /// <see cref="IdentityHost"/> and <c>StoreOptions</c>.
    /// </summary>
    public static IServiceCollection AddPacketScrub(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PacketScrub>();
        services.AddHostedService<PacketScrubWorker>();
        return services;
    }

    /// <summary>
    /// Adds the peer link's rules, whatever transport carries them: this node's manifest
    /// (<see cref="LocalManifest"/>, over <paramref name="certificate"/>, which the container does not
    /// own), the peers' verified manifests, the call gate, the open calls, the refusal counts, the
    /// inbound links, and the protocol's server side (<see cref="PeerLinkService"/>). Needs the store,
    /// the <see cref="IdentityHost"/>, a <see cref="PeerRegistry"/> and <see cref="KnowledgeSlots"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="certificate">The node's transport certificate, loaded before the host.</param>
    /// <param name="nodeName">The node's name for its manifest.</param>
    /// <param name="softwareVersion">The version its manifest names.</param>
    public static IServiceCollection AddPeerLink(this IServiceCollection services, PeerCertificate certificate, Func<IServiceProvider, string> nodeName,
        string softwareVersion)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(nodeName);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new LocalManifest(sp.GetRequiredService<IdentityHost>(), certificate, sp.GetRequiredService<TimeProvider>(),
            nodeName(sp), softwareVersion));
        services.AddSingleton(sp =>
        {
            var registry = sp.GetRequiredService<PeerRegistry>();
            return new ManifestBook(sp.GetRequiredService<Node.Storage.NodeStore>(), registry.IsRegistered, sp.GetRequiredService<ILogger<ManifestBook>>());
        });
        services.AddSingleton<PeerDialer>();
        services.AddSingleton<PeerCallGate>();
        services.AddSingleton<PeerCalls>();
        services.AddSingleton<PeerRefusals>();
        services.AddSingleton<InboundLinks>();
        services.AddSingleton(new PeerLinkServerOptions());
        services.AddSingleton<Func<PeerLinks>>(sp => sp.GetRequiredService<PeerLinks>);
        services.AddSingleton<Sync.AuthorKeys>();
        services.AddSingleton<Sync.ViewSets>();
        services.AddSingleton<Sync.SyncServer>();
        services.AddSingleton<Sync.SyncBook>();
        services.AddSingleton<Sync.SyncBeacon>();
        services.AddSingleton<PeerLinkService>();
        services.AddSingleton(sp => new PeerLinks(sp.GetRequiredService<InboundLinks>(), sp.GetRequiredService<IOptions<PeerLinkOptions>>().Value,
            sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    /// <summary>
    /// Adds the dialling side of the peer link (<see cref="PeerLinkHost"/>): a link to every peer of
    /// tier external or above, and the node id of static peers added by address. Register it after
    /// the peer listener (it dials only once this node's manifest is issued).
    /// </summary>
    public static IServiceCollection AddPeerLinkHost(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<PeerLinkHost>();
        services.AddHostedService(sp => sp.GetRequiredService<PeerLinkHost>());
        return services;
    }

    /// <summary>
    /// Adds knowledge sync over the peer link (<see cref="Sync.SyncHost"/>): rounds with every linked
    /// core and sandbox peer, on the schedule of <see cref="Sync.SyncOptions"/> (bound by the caller to
    /// its section). Needs <see cref="AddPeerLink"/>, <see cref="AddPeerLinkHost"/> and a <c>HybridClock</c>.
    /// </summary>
    public static IServiceCollection AddSync(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<Sync.ISyncChannels, Sync.PeerLinkSyncChannels>();
        services.AddSingleton<Sync.QuarantineDesk>();
        services.AddSingleton(sp => new Sync.SyncRound(sp.GetRequiredService<Node.Storage.NodeStore>(),
            new Packets.PacketIntake(sp.GetRequiredService<Node.Storage.NodeStore>().Writer, sp.GetRequiredService<Sync.AuthorKeys>(),
                clock: sp.GetRequiredService<Clock.HybridClock>()),
            sp.GetRequiredService<Sync.AuthorKeys>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<Sync.SyncRound>>()));
        services.AddSingleton(sp => new Sync.SyncScheduler(sp.GetRequiredService<Sync.SyncRound>(), sp.GetRequiredService<Sync.SyncBook>(),
            sp.GetRequiredService<Sync.ISyncChannels>(), sp.GetRequiredService<IOptions<Sync.SyncOptions>>().Value, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<Sync.SyncScheduler>>()));
        services.AddSingleton<Sync.SyncHost>();
        services.AddHostedService(sp => sp.GetRequiredService<Sync.SyncHost>());
        return services;
    }

    /// <summary>
    /// Adds mDNS discovery (<see cref="DiscoveryHost"/>). Needs the <see cref="IdentityHost"/> and a
    /// <see cref="PeerRegistry"/>; the link is UDP multicast unless a <see cref="MdnsTransportFactory"/>
    /// was registered before (an in-memory one in tests).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="nodeName">The node's name, announced in TXT; null announces none.</param>
    public static IServiceCollection AddDiscovery(this IServiceCollection services, Func<IServiceProvider, string?>? nodeName = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddFederation();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MdnsTransportFactory>(sp => options => new UdpMdnsTransport(
            new UdpMdnsTransportOptions { Interfaces = [.. options.Interfaces], UseIPv4 = true, UseIPv6 = options.IPv6 },
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<UdpMdnsTransport>>()));
        services.AddSingleton(sp => new DiscoveryHost(sp.GetRequiredService<IOptions<DiscoveryOptions>>(), sp.GetRequiredService<IOptions<FederationOptions>>(),
            sp.GetRequiredService<IdentityHost>(), sp.GetRequiredService<PeerRegistry>(), sp.GetRequiredService<MdnsTransportFactory>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>(), nodeName?.Invoke(sp), sp.GetService<LocalManifest>()));
        services.AddHostedService(sp => sp.GetRequiredService<DiscoveryHost>());
        return services;
    }
}
