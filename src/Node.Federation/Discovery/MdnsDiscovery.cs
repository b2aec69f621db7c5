using Microsoft.Extensions.Logging;

namespace Node.Federation.Discovery;

/// <summary>
/// mDNS service discovery for <c>_sovereign._tcp.local</c> (RFC 6762/6763): a responder that
/// probes, announces, answers and says goodbye for this node, and a browser that finds the others,
/// on every interface of an <see cref="IMdnsTransport"/>. Thread-safe; time comes from the
/// <see cref="TimeProvider"/>, so a fake one drives it in tests.
/// </summary>
public sealed partial class MdnsDiscovery : IMdnsTransportSink, IDisposable
{
    /// <summary>Discovery over <paramref name="transport"/>; nothing is sent until <see cref="Start"/>.</summary>
    /// <param name="transport">The link.</param>
    /// <param name="time">The clock and timers.</param>
    /// <param name="logger">Where found/lost peers and conflicts are logged.</param>
    /// <param name="random">Random delays (probe start, shared answers); a seeded one in tests.</param>
    public MdnsDiscovery(IMdnsTransport transport, TimeProvider time, ILogger<MdnsDiscovery> logger, Random? random = null)
    {
        throw new NotImplementedException();
    }

    /// <summary>A service was found, changed or lost. Raised outside the discovery's lock.</summary>
    public event Action<DiscoveryChange>? Changed { add => throw new NotImplementedException(); remove => throw new NotImplementedException(); }

    /// <summary>The services resolved now.</summary>
    public IReadOnlyList<DiscoveredService> Services => throw new NotImplementedException();

    /// <summary>
    /// Starts browsing and, with a <paramref name="profile"/>, announcing it (probe, then announce).
    /// Without one the node only browses.
    /// </summary>
    public void Start(ServiceProfile? profile) => throw new NotImplementedException();

    /// <summary>Announces a changed profile (a new manifest hash, port); a changed node id re-probes.</summary>
    public void UpdateProfile(ServiceProfile profile) => throw new NotImplementedException();

    /// <summary>Queries for the service type now on every interface (<c>nodectl federation discover</c>).</summary>
    public void QueryNow() => throw new NotImplementedException();

    /// <summary>Where discovery stands.</summary>
    public DiscoveryDiagnosis Diagnose() => throw new NotImplementedException();

    /// <summary>Sends goodbyes (TTL 0) for everything announced and stops; idempotent.</summary>
    public void Stop() => throw new NotImplementedException();

    /// <inheritdoc />
    public void OnPacket(in MdnsPacket packet) => throw new NotImplementedException();

    /// <inheritdoc />
    public void OnInterfacesChanged(IReadOnlyList<MdnsInterface> interfaces) => throw new NotImplementedException();

    /// <inheritdoc />
    public void Dispose() => throw new NotImplementedException();
}
