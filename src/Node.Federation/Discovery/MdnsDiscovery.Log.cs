// The discovery's log messages.
using Microsoft.Extensions.Logging;
using Node.Federation.Discovery.Dns;

namespace Node.Federation.Discovery;

public sealed partial class MdnsDiscovery
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "mDNS datagram from {Sender} ignored: {Problem}.")]
    private static partial void LogMalformed(ILogger logger, System.Net.IPEndPoint sender, string problem);

    [LoggerMessage(Level = LogLevel.Debug, Message = "mDNS datagram from {Sender}: {Count} records left out, the rest used; the first: {Problem}.")]
    private static partial void LogSkipped(ILogger logger, System.Net.IPEndPoint sender, int count, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "mDNS name conflict: {Taken} is held by another host on {Interface}; claiming {Renamed} instead.")]
    private static partial void LogConflict(ILogger logger, string taken, string @interface, string renamed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "mDNS name {Name} contested on {Interface} ({Conflicts} conflicts there since start): another host answers or probes for it; probing again.")]
    private static partial void LogContested(ILogger logger, string name, string @interface, int conflicts);

    [LoggerMessage(Level = LogLevel.Information, Message = "mDNS announced {Instance} at {Host} on {Interface}.")]
    private static partial void LogAnnounced(ILogger logger, DnsName instance, DnsName host, string @interface);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A discovery listener failed on {Instance}.")]
    private static partial void LogListenerFailed(ILogger logger, DnsName instance, Exception exception);
}
