// The mDNS link of RFC 6762: UDP port 5353, groups 224.0.0.251 and ff02::fb (§3), joined per
// interface; TTL/hop limit 255 (§11); the arrival interface of every datagram kept (§15 and §11:
// answers go out of the interface the query came in on).
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Node.Federation.Discovery.Internal;

namespace Node.Federation.Discovery;

/// <summary>
/// The real mDNS link: one UDP socket per address family on port 5353, shared with other
/// responders on the host (Avahi), with the mDNS groups joined on each suitable interface.
/// Interfaces are rescanned when addresses change and every <see cref="UdpMdnsTransportOptions.RescanInterval"/>.
/// Thread-safe. Interfaces are enumerated in the network namespace of the thread that calls
/// <see cref="Start"/> (and of the rescans).
/// </summary>
public sealed partial class UdpMdnsTransport : IMdnsTransport
{
    private readonly UdpMdnsTransportOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<UdpMdnsTransport> _logger;
    private readonly string[] _allowList;
    private readonly CancellationTokenSource _stopping = new();

    // Guards _links and the joins; held briefly. _rescanGate serializes whole rescans, including
    // the sink's OnInterfacesChanged, so the sink hears the sets in the order they were made.
    private readonly Lock _gate = new();
    private readonly Lock _rescanGate = new();
    private readonly Dictionary<int, MdnsLink> _links = [];
    private readonly IPEndPoint _group4;
    private volatile IReadOnlyList<MdnsInterface> _interfaces = [];

    private Socket? _socket4;
    private Socket? _socket6;
    private string? _socket4Error;
    private string? _socket6Error;
    private IMdnsTransportSink? _sink;
    private ITimer? _rescanTimer;
    private NetworkAddressChangedEventHandler? _addressChanged;
    private int _started;
    private int _disposed;

    /// <summary>A transport with <paramref name="options"/>; nothing is opened until <see cref="Start"/>.</summary>
    /// <param name="options">Port, address families, allowed interfaces, rescan interval.</param>
    /// <param name="time">Drives the periodic rescan.</param>
    /// <param name="logger">Joins and leaves at Information; send failures at Debug, once per kind.</param>
    /// <exception cref="ArgumentOutOfRangeException">The port is outside 1–65535, or the rescan interval is not positive.</exception>
    public UdpMdnsTransport(UdpMdnsTransportOptions options, TimeProvider time, ILogger<UdpMdnsTransport> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Port, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Port, 65535, nameof(options));
        if (options.RescanInterval is { } interval)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero, nameof(options));
        }

        _options = options;
        _time = time;
        _logger = logger;
        _allowList = [.. options.Interfaces];
        _group4 = new IPEndPoint(MdnsGroups.IPv4, options.Port);
    }

    /// <inheritdoc />
    public IReadOnlyList<MdnsInterface> Interfaces => _interfaces;

    /// <summary>
    /// Opens the sockets, joins the groups on the suitable interfaces, reports them to
    /// <paramref name="sink"/> (<see cref="IMdnsTransportSink.OnInterfacesChanged"/>) and starts receiving.
    /// A family whose socket cannot be opened (port taken without sharing, IPv6 disabled) is logged
    /// and left out; <see cref="Statistics"/> shows it.
    /// </summary>
    /// <exception cref="InvalidOperationException">Already started.</exception>
    /// <exception cref="ObjectDisposedException">Disposed.</exception>
    public void Start(IMdnsTransportSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("The mDNS transport is already started.");
        }

        _sink = sink;
        if (_options.UseIPv4)
        {
            _socket4 = Open(MdnsSockets.OpenIPv4, "IPv4", out _socket4Error);
        }

        if (_options.UseIPv6)
        {
            _socket6 = Open(MdnsSockets.OpenIPv6, "IPv6", out _socket6Error);
        }

        Rescan();
        foreach (var socket in (Socket?[])[_socket4, _socket6])
        {
            if (socket is not null)
            {
                _ = ReceiveLoopAsync(socket, _stopping.Token);
            }
        }

        if (_options.WatchAddressChanges)
        {
            _addressChanged = (_, _) => RescanSafely();
            NetworkChange.NetworkAddressChanged += _addressChanged;
        }

        if (_options.RescanInterval is { } interval)
        {
            _rescanTimer = _time.CreateTimer(static state => ((UdpMdnsTransport)state!).RescanSafely(), this, interval, interval);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<MdnsLinkStatistics> Statistics()
    {
        lock (_gate)
        {
            return [.. _links.Values.OrderBy(l => l.Index).Select(l => l.Snapshot())];
        }
    }

    /// <summary>Stops receiving and rescanning, leaves the groups and closes the sockets; idempotent.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_addressChanged is not null)
        {
            NetworkChange.NetworkAddressChanged -= _addressChanged;
        }

        _rescanTimer?.Dispose();
        _stopping.Cancel();
        lock (_rescanGate)
        {
            lock (_gate)
            {
                foreach (var link in _links.Values)
                {
                    Leave(link, leaveIPv4: true, leaveIPv6: true);
                }

                _links.Clear();
                _interfaces = [];
            }

            _socket4?.Dispose();
            _socket6?.Dispose();
        }

        _stopping.Dispose();
    }

    private Socket? Open(Func<int, Socket> open, string family, out string? error)
    {
        try
        {
            error = null;
            return open(_options.Port);
        }
        catch (SocketException ex)
        {
            error = $"{family} socket on port {_options.Port}: {ex.SocketErrorCode} ({ex.Message})";
            LogSocketFailed(_logger, family, _options.Port, ex.SocketErrorCode, ex.Message);
            return null;
        }
    }
}
