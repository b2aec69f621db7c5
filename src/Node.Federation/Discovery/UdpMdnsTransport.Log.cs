using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Node.Federation.Discovery;

public sealed partial class UdpMdnsTransport
{
    [LoggerMessage(Level = LogLevel.Information, Message = "mDNS joined {Groups} on {Interface} (index {Index})")]
    private static partial void LogJoined(ILogger logger, string groups, string @interface, int index);

    [LoggerMessage(Level = LogLevel.Information, Message = "mDNS left {Groups} on {Interface} (index {Index})")]
    private static partial void LogLeft(ILogger logger, string groups, string @interface, int index);

    [LoggerMessage(Level = LogLevel.Warning, Message = "mDNS could not join {Group} on {Interface} (index {Index}): {Error} ({Message})")]
    private static partial void LogJoinFailed(ILogger logger, string group, string @interface, int index, SocketError error, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "mDNS could not open its {Family} socket on port {Port}: {Error} ({Message}); mDNS runs without {Family}")]
    private static partial void LogSocketFailed(ILogger logger, string family, int port, SocketError error, string message);

    [LoggerMessage(Level = LogLevel.Debug, Message = "mDNS {Family} datagram not sent or received: {Error} ({Message}); further ones of this kind are only counted")]
    private static partial void LogSendFailed(ILogger logger, string family, SocketError error, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "mDNS packet or interface handler failed; receiving goes on")]
    private static partial void LogSinkFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "mDNS interface rescan failed; the interfaces in use stay as they were")]
    private static partial void LogRescanFailed(ILogger logger, Exception exception);
}
