using System.Net;
using System.Net.Sockets;

namespace Node.Federation.Discovery.Internal;

/// <summary>
/// One interface in use: its addresses, which groups are joined on it and its counters.
/// Counters are updated with <see cref="Interlocked"/> from the send and receive paths; the rest
/// changes only under the transport's interface lock.
/// </summary>
internal sealed class MdnsLink
{
    private long _sent;
    private long _received;
    private long _sendErrors;
    private volatile string? _lastError;
    private volatile bool _lastErrorIsSend;

    public MdnsLink(MdnsInterface info, int port)
    {
        Info = info;
        // A link-local multicast address with the interface as scope id: sendto picks the interface
        // from sin6_scope_id, so IPv6 sends need no per-send socket option (and no lock).
        Group6 = new IPEndPoint(new IPAddress(MdnsGroups.IPv6.GetAddressBytes(), info.Index), port);
    }

    public MdnsInterface Info { get; set; }

    public int Index => Info.Index;

    public IPEndPoint Group6 { get; }

    public bool JoinedIPv4 { get; set; }

    public bool JoinedIPv6 { get; set; }

    public bool HasIPv4 => Info.Addresses.Any(a => a.AddressFamily == AddressFamily.InterNetwork);

    public bool HasIPv6 => Info.Addresses.Any(a => a.AddressFamily == AddressFamily.InterNetworkV6);

    /// <summary>The current problem: a failed join, or a send that failed and was not followed by one that went.</summary>
    public string? LastError
    {
        get => _lastError;
        set
        {
            _lastError = value;
            _lastErrorIsSend = false;
        }
    }

    public void CountSent()
    {
        Interlocked.Increment(ref _sent);
        if (_lastErrorIsSend)
        {
            // A send went through again (an IPv6 address out of duplicate-address detection, a route back): no longer a problem.
            _lastError = null;
            _lastErrorIsSend = false;
        }
    }

    public void CountReceived() => Interlocked.Increment(ref _received);

    public void CountSendError(string error)
    {
        Interlocked.Increment(ref _sendErrors);
        _lastError = error;
        _lastErrorIsSend = true;
    }

    public MdnsLinkStatistics Snapshot() => new(Info.Index, Info.Name, JoinedIPv4, JoinedIPv6,
        Interlocked.Read(ref _sent), Interlocked.Read(ref _received), Interlocked.Read(ref _sendErrors), _lastError);
}
