using System.Net;
using Microsoft.Extensions.Logging;

namespace Node.Federation.Discovery;

/// <summary>Placeholder so the branch compiles before the real transport lands (replaced on merge).</summary>
public sealed class UdpMdnsTransport : IMdnsTransport
{
    /// <summary>Placeholder.</summary>
    public UdpMdnsTransport(UdpMdnsTransportOptions options, TimeProvider time, ILogger<UdpMdnsTransport> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
    }

    /// <inheritdoc />
    public IReadOnlyList<MdnsInterface> Interfaces => [];

    /// <inheritdoc />
    public void Start(IMdnsTransportSink sink) => throw new NotSupportedException("Placeholder transport.");

    /// <inheritdoc />
    public void SendMulticast(int interfaceIndex, ReadOnlySpan<byte> packet) => throw new NotSupportedException("Placeholder transport.");

    /// <inheritdoc />
    public void SendUnicast(int interfaceIndex, IPEndPoint destination, ReadOnlySpan<byte> packet) => throw new NotSupportedException("Placeholder transport.");

    /// <inheritdoc />
    public IReadOnlyList<MdnsLinkStatistics> Statistics() => [];

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
