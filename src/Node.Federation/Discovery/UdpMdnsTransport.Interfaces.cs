using System.Net.NetworkInformation;
using System.Net.Sockets;
using Node.Federation.Discovery.Internal;

namespace Node.Federation.Discovery;

public sealed partial class UdpMdnsTransport
{
    /// <summary>
    /// Lists the interfaces again; joins the new, leaves the gone, rejoins per family where addresses
    /// changed, and tells the sink when anything differs. Runs in the calling thread's network namespace.
    /// </summary>
    internal void Rescan()
    {
        lock (_rescanGate)
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                return;
            }

            var found = InterfaceScanner.Scan(_allowList, _options.UseIPv4, _options.UseIPv6);
            IReadOnlyList<MdnsInterface> current;
            var changed = false;
            lock (_gate)
            {
                foreach (var gone in _links.Values.Where(l => !found.Exists(f => f.Index == l.Index)).ToList())
                {
                    var groups = Groups(gone.JoinedIPv4, gone.JoinedIPv6);
                    Leave(gone, leaveIPv4: true, leaveIPv6: true);
                    _links.Remove(gone.Index);
                    LogLeft(_logger, groups, gone.Info.Name, gone.Index);
                    changed = true;
                }

                foreach (var info in found)
                {
                    if (!_links.TryGetValue(info.Index, out var link))
                    {
                        link = new MdnsLink(info, _options.Port);
                        _links.Add(info.Index, link);
                        Join(link);
                        var groups = Groups(link.JoinedIPv4, link.JoinedIPv6);
                        LogJoined(_logger, groups, info.Name, info.Index);
                        changed = true;
                    }
                    else if (!link.Info.IsSameAs(info))
                    {
                        link.Info = info;
                        Leave(link, leaveIPv4: !link.HasIPv4, leaveIPv6: !link.HasIPv6);
                        Join(link);
                        changed = true;
                    }
                }

                current = [.. _links.Values.OrderBy(l => l.Index).Select(l => l.Info)];
                _interfaces = current;
            }

            if (changed)
            {
                try
                {
                    _sink?.OnInterfacesChanged(current);
                }
                catch (Exception ex)
                {
                    LogSinkFailed(_logger, ex);
                }
            }
        }
    }

    private void RescanSafely()
    {
        try
        {
            Rescan();
        }
        catch (Exception ex) when (ex is NetworkInformationException or SocketException or IOException or UnauthorizedAccessException)
        {
            LogRescanFailed(_logger, ex);
        }
    }

    // Under _gate. Joins each family the interface has an address of and is not joined on yet.
    private void Join(MdnsLink link)
    {
        if (_options.UseIPv4 && link.HasIPv4 && !link.JoinedIPv4)
        {
            link.JoinedIPv4 = TryJoin(link, _socket4, _socket4Error, "224.0.0.251",
                s => s.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(MdnsGroups.IPv4, link.Index)));
        }

        if (_options.UseIPv6 && link.HasIPv6 && !link.JoinedIPv6)
        {
            link.JoinedIPv6 = TryJoin(link, _socket6, _socket6Error, "ff02::fb",
                s => s.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.AddMembership, new IPv6MulticastOption(MdnsGroups.IPv6, link.Index)));
        }
    }

    private bool TryJoin(MdnsLink link, Socket? socket, string? socketError, string group, Action<Socket> join)
    {
        if (socket is null)
        {
            link.LastError = socketError;
            return false;
        }

        try
        {
            join(socket);
            return true;
        }
        catch (SocketException ex)
        {
            link.LastError = $"join {group}: {ex.SocketErrorCode} ({ex.Message})";
            LogJoinFailed(_logger, group, link.Info.Name, link.Index, ex.SocketErrorCode, ex.Message);
            return false;
        }
    }

    // Under _gate. A leave that fails (the interface is already gone) needs nothing more: the kernel
    // dropped the membership with the interface.
    private void Leave(MdnsLink link, bool leaveIPv4, bool leaveIPv6)
    {
        if (leaveIPv4 && link.JoinedIPv4 && _socket4 is { } socket4)
        {
            link.JoinedIPv4 = false;
            TryLeave(() => socket4.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.DropMembership, new MulticastOption(MdnsGroups.IPv4, link.Index)));
        }

        if (leaveIPv6 && link.JoinedIPv6 && _socket6 is { } socket6)
        {
            link.JoinedIPv6 = false;
            TryLeave(() => socket6.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.DropMembership, new IPv6MulticastOption(MdnsGroups.IPv6, link.Index)));
        }
    }

    private static void TryLeave(Action leave)
    {
        try
        {
            leave();
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }

    private static string Groups(bool ipv4, bool ipv6) => (ipv4, ipv6) switch
    {
        (true, true) => "224.0.0.251 and ff02::fb",
        (true, false) => "224.0.0.251",
        (false, true) => "ff02::fb",
        _ => "no group",
    };
}
