using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Node.Federation.Discovery.Dns;
using Node.Federation.Identity;
using Node.Federation.Peers;

namespace Node.Federation.Discovery;

/// <summary>
/// Runs mDNS discovery while the node runs: announces this node, records the peers it finds in the <see cref="PeerRegistry"/> and says goodbye
/// on stop. The registry is written from the host's own loop, never from discovery's callbacks, so
/// discovery never waits on the store.
/// </summary>
public sealed partial class DiscoveryHost : IHostedService, IDisposable
{
    private readonly DiscoveryOptions _options;
    private readonly string? _nodeName;
    private readonly int _peerPort;
    private readonly IdentityHost _identity;
    private readonly PeerRegistry _peers;
    private readonly MdnsTransportFactory _transports;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger<DiscoveryHost> _logger;
    private readonly Channel<DiscoveryChange> _changes = Channel.CreateUnbounded<DiscoveryChange>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
    private readonly CancellationTokenSource _stopping = new();
    private IMdnsTransport? _transport;
    private MdnsDiscovery? _discovery;
    private Task _loop = Task.CompletedTask;
    private readonly Link.LocalManifest? _manifest;

    /// <summary>A host for the settings given; nothing runs until <see cref="StartAsync"/>.</summary>
    /// <param name="options">Discovery settings (<c>Federation:Discovery</c>).</param>
    /// <param name="federation">Federation settings: the peer port announced.</param>
    /// <param name="identity">The node's identity.</param>
    /// <param name="peers">The registry found peers are recorded in.</param>
    /// <param name="transports">Makes the link (UDP in the node, in-memory in tests).</param>
    /// <param name="time">The clock and timers.</param>
    /// <param name="loggers">Loggers for the host and the discovery engine.</param>
    /// <param name="nodeName">The node's name, announced in TXT so peers can show it; null announces none.</param>
    /// <param name="manifest">
    /// This node's manifest, issued once the peer listener bound its port: its port and hash are what
    /// is announced. Null (tests without a listener): the configured port, and no hash.
    /// </param>
    public DiscoveryHost(IOptions<DiscoveryOptions> options, IOptions<FederationOptions> federation, IdentityHost identity, PeerRegistry peers,
        MdnsTransportFactory transports, TimeProvider time, ILoggerFactory loggers, string? nodeName = null, Link.LocalManifest? manifest = null)
    {
        _nodeName = nodeName;
        _manifest = manifest;
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(federation);
        ArgumentNullException.ThrowIfNull(loggers);
        _options = options.Value;
        _peerPort = federation.Value.PeerPort;
        _identity = identity ?? throw new ArgumentNullException(nameof(identity));
        _peers = peers ?? throw new ArgumentNullException(nameof(peers));
        _transports = transports ?? throw new ArgumentNullException(nameof(transports));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _loggers = loggers;
        _logger = loggers.CreateLogger<DiscoveryHost>();
    }

    /// <summary>Whether discovery is switched on (<c>Federation:Discovery:Enabled</c>).</summary>
    public bool Enabled => _options.Enabled;

    /// <summary>Why discovery is not running although enabled (the link could not be set up), or null.</summary>
    public string? StartError { get; private set; }

    /// <summary>The engine while it runs; null when disabled, not started, failed or stopped.</summary>
    public MdnsDiscovery? Discovery => Volatile.Read(ref _discovery);

    /// <summary>
    /// Queries for peers now on every interface and gives, after <paramref name="wait"/>, the services
    /// heard from since the query.
    /// </summary>
    /// <exception cref="InvalidOperationException">Discovery is not running.</exception>
    public async Task<IReadOnlyList<DiscoveredService>> DiscoverAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        var discovery = Discovery ?? throw new InvalidOperationException("Discovery is not running.");
        var asked = _time.GetUtcNow();
        discovery.QueryNow();
        await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        return [.. discovery.Services.Where(s => s.LastSeen >= asked)];
    }

    /// <summary>The name of interface <paramref name="index"/>, or <c>#index</c> when it is gone.</summary>
    public string InterfaceName(int index) =>
        _transport?.Interfaces.FirstOrDefault(i => i.Index == index)?.Name ?? string.Create(CultureInfo.InvariantCulture, $"#{index}");

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_options.Enabled)
        {
            LogDisabled(_logger);
            return Task.CompletedTask;
        }

        var self = _identity.Identity.Id;
        try
        {
            _transport = _transports(_options);
            var discovery = new MdnsDiscovery(_transport, _time, _loggers.CreateLogger<MdnsDiscovery>());
            discovery.Changed += OnChanged;
            _loop = Task.Run(() => RecordChangesAsync(_stopping.Token), CancellationToken.None);
            Volatile.Write(ref _discovery, discovery);
            if (_manifest is not null)
            {
                _manifest.Reissued += OnReissued;
            }

            if (_manifest?.Current is { } issued)
            {
                // The listener has bound its port (it starts first): the port it got, and the manifest naming it.
                discovery.Start(new ServiceProfile(self, issued.Port, issued.Hash, _nodeName));
                LogAnnouncing(_logger, self, issued.Port);
            }
            else if (_peerPort > 0)
            {
                discovery.Start(new ServiceProfile(self, _peerPort, Name: _nodeName));
                LogAnnouncing(_logger, self, _peerPort);
            }
            else
            {
                discovery.Start(null);
                LogBrowsingOnly(_logger);
            }
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException or InvalidOperationException or UnauthorizedAccessException
                                       or NotSupportedException)
        {
            // Discovery is a convenience: static peers still work, and diagnose says why it is off.
            StartError = ex.Message;
            LogStartFailed(_logger, ex);
            _changes.Writer.TryComplete();
            _stopping.Cancel();
            Interlocked.Exchange(ref _discovery, null)?.Dispose();
            _transport?.Dispose();
            _transport = null;
        }

        return Task.CompletedTask;
    }

    // A new manifest (its lifetime half over, the addresses or the port changed): peers learn its hash from TXT.
    private void OnReissued(Link.IssuedManifest issued) =>
        Discovery?.UpdateProfile(new ServiceProfile(_identity.Identity.Id, issued.Port, issued.Hash, _nodeName));

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var discovery = Interlocked.Exchange(ref _discovery, null);
        if (discovery is null)
        {
            return;
        }

        if (_manifest is not null)
        {
            _manifest.Reissued -= OnReissued;
        }

        discovery.Stop(); // goodbyes
        discovery.Changed -= OnChanged;
        _changes.Writer.TryComplete();
        try
        {
            // What discovery handed over before it stopped is still recorded (the store stops after this host).
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout ended the wait; the loop is cancelled below.
        }
        finally
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
            discovery.Dispose();
            _transport?.Dispose();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Interlocked.Exchange(ref _discovery, null)?.Dispose();
        _transport?.Dispose();
        _stopping.Dispose();
    }

    // Raised on discovery's thread: hand over and return at once.
    private void OnChanged(DiscoveryChange change) => _changes.Writer.TryWrite(change);

    private async Task RecordChangesAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var change in _changes.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await RecordAsync(change, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogRecordFailed(_logger, change.Service.Instance, ex); // one bad change must not end the loop
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>Records one change: a found or changed peer in the registry, a lost one in the event log.</summary>
    internal async Task RecordAsync(DiscoveryChange change, CancellationToken cancellationToken)
    {
        var service = change.Service;
        if (service.NodeId is not { } id)
        {
            LogNoNodeId(_logger, service.Instance);
            return;
        }

        if (id == _identity.Identity.Id)
        {
            return; // our own announcement, heard back
        }

        var where = InterfaceName(service.InterfaceIndex);
        if (change.Kind == DiscoveryChangeKind.Lost)
        {
            await _peers.RecordLostAsync(id, cancellationToken).ConfigureAwait(false);
            var reason = change.Reason switch
            {
                LossReason.Goodbye => $"goodbye on {where}",
                LossReason.InterfaceGone => $"{where} went away",
                _ => string.Create(CultureInfo.InvariantCulture, $"records expired on {where}; last heard {(_time.GetUtcNow() - service.LastSeen).TotalSeconds:0} s ago"),
            };
            LogLost(_logger, id, reason);
            return;
        }

        if (service.Port is < 1 or > 65535)
        {
            LogBadPort(_logger, service.Instance, service.Port);
            return;
        }

        var addresses = service.Addresses.Select(a => PeerAddress.Of(a, service.Port)).Distinct(StringComparer.Ordinal).ToList();
        // The name it gives itself (TXT "name", checked like our own), else its mDNS host name.
        var name = service.Txt.TryGetValue(ServiceProfile.NameKey, out var given) && ServiceProfile.IsUsableName(given)
            ? given
            : service.Host.Labels.Count > 0 ? service.Host.Labels[0] : "";
        await _peers.RecordDiscoveredAsync(id, name, addresses, cancellationToken).ConfigureAwait(false);
        if (!_logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        // Written as people read them (a structured list would render as ["…"]).
        var at = string.Join(", ", addresses);
        if (change.Kind == DiscoveryChangeKind.Found)
        {
            LogFound(_logger, id, at, where);
        }
        else
        {
            LogChanged(_logger, id, at, where);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "mDNS discovery is off (Federation:Discovery:Enabled=false); static peers still work.")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "mDNS discovery announcing {NodeId} on peer port {Port} and browsing for peers.")]
    private static partial void LogAnnouncing(ILogger logger, NodeId nodeId, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "mDNS discovery browsing only: Federation:PeerPort is 0 and no peer listener has picked a port to announce.")]
    private static partial void LogBrowsingOnly(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "mDNS discovery could not start; static peers still work.")]
    private static partial void LogStartFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Peer {NodeId} found by mDNS at {Addresses} on {Interface}")]
    private static partial void LogFound(ILogger logger, NodeId nodeId, string addresses, string @interface);

    [LoggerMessage(Level = LogLevel.Information, Message = "Peer {NodeId} changed: now at {Addresses} on {Interface}")]
    private static partial void LogChanged(ILogger logger, NodeId nodeId, string addresses, string @interface);

    [LoggerMessage(Level = LogLevel.Information, Message = "Peer {NodeId} lost ({Reason})")]
    private static partial void LogLost(ILogger logger, NodeId nodeId, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "mDNS service {Instance} ignored: its TXT record has no valid node id.")]
    private static partial void LogNoNodeId(ILogger logger, DnsName instance);

    [LoggerMessage(Level = LogLevel.Debug, Message = "mDNS service {Instance} ignored: port {Port} is not a port.")]
    private static partial void LogBadPort(ILogger logger, DnsName instance, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "mDNS discovery could not record {Instance}; the next change of it will be tried.")]
    private static partial void LogRecordFailed(ILogger logger, DnsName instance, Exception exception);
}
