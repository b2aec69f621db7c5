using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;
using Node.Federation.Diagnostics;

namespace Node.Federation.Link.Server;

/// <summary>
/// What the peer port refused, by reason: counted for <c>federation diagnose</c>, and logged — the
/// first of each reason from each address in full, then a count a minute (<see cref="RefusalLog"/>),
/// so a hostile peer costs a line a minute. Thread-safe.
/// </summary>
public sealed partial class PeerRefusals : IDisposable
{
    private readonly ConcurrentDictionary<PeerRefusal, long> _counts = new();
    private readonly RefusalLog _log;
    private readonly ILogger _logger;

    /// <summary>Refusals counted and logged to <paramref name="logger"/>.</summary>
    public PeerRefusals(TimeProvider time, ILogger<PeerRefusals> logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
        _log = new RefusalLog(time, logger, "peer connections and calls");
    }

    /// <summary>Every refusal so far, by reason (reasons never seen are absent).</summary>
    public IReadOnlyDictionary<PeerRefusal, long> Counts => _counts.ToDictionary();

    /// <summary>How many refusals of <paramref name="reason"/> so far.</summary>
    public long Count(PeerRefusal reason) => _counts.GetValueOrDefault(reason);

    /// <summary>Counts a refusal of <paramref name="reason"/> from <paramref name="remote"/>, and logs it when it is the first of its kind this minute.</summary>
    /// <param name="reason">Why.</param>
    /// <param name="remote">Where the connection came from.</param>
    /// <param name="detail">What the caller was told, or what was wrong; never a secret.</param>
    public void Add(PeerRefusal reason, EndPoint? remote, string detail)
    {
        _counts.AddOrUpdate(reason, 1, static (_, n) => n + 1);
        // One kind per reason and address (not port: each connection has its own).
        // One kind per reason and source as the connection caps count it (an IPv4 address, an IPv6 /64):
        // a host with a /64 to pick addresses from gets no more log lines than one with a single address.
        var address = ConnectionSlots.KeyOf((remote as IPEndPoint)?.Address);
        if (_log.IsFirst($"{Name(reason)} from {address}"))
        {
            LogRefused(_logger, Name(reason), Describe(remote), detail);
        }
    }

    /// <summary>A reason as logs, counters and <c>--json</c> name it: <c>not_tls</c>, <c>tier_too_low</c>, ….</summary>
    public static string Name(PeerRefusal reason) => reason switch
    {
        PeerRefusal.NotTls => "not_tls",
        PeerRefusal.PlaintextHttp => "plaintext_http",
        PeerRefusal.OverAddressCap => "over_address_cap",
        PeerRefusal.OverTotalCap => "over_total_cap",
        PeerRefusal.HandshakeTimeout => "handshake_timeout",
        PeerRefusal.HandshakeFailed => "handshake_failed",
        PeerRefusal.NoCertificate => "no_certificate",
        PeerRefusal.CertificateRejected => "certificate_rejected",
        PeerRefusal.UnknownMethod => "unknown_method",
        PeerRefusal.NotIntroduced => "not_introduced",
        PeerRefusal.BadManifest => "bad_manifest",
        PeerRefusal.CertificateMismatch => "certificate_mismatch",
        PeerRefusal.StaleManifest => "stale_manifest",
        PeerRefusal.Retired => "retired",
        PeerRefusal.RotationConflict => "rotation_conflict",
        PeerRefusal.TierTooLow => "tier_too_low",
        PeerRefusal.TierRevoked => "tier_revoked",
        PeerRefusal.Oversize => "oversize",
        _ => reason.ToString(),
    };

    /// <inheritdoc />
    public void Dispose() => _log.Dispose();

    // An IPv4 peer on the dual-stack socket shows as itself, not ::ffff:a.b.c.d.
    private static string Describe(EndPoint? remote) => remote switch
    {
        IPEndPoint ip when ip.Address.IsIPv4MappedToIPv6 => new IPEndPoint(ip.Address.MapToIPv4(), ip.Port).ToString(),
        null => "an unknown address",
        _ => remote.ToString() ?? "an unknown address",
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Peer port refused {Reason} from {Remote}: {Detail}.")]
    private static partial void LogRefused(ILogger logger, string reason, string remote, string detail);
}
