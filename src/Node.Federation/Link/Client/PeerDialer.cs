using System.Net;
using System.Net.Sockets;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Node.Federation.Identity;
using Node.Federation.Link.Server;
using Node.Federation.Link.Tls;
using Node.Protocol.Peer;

namespace Node.Federation.Link.Client;

/// <summary>Where to dial a peer and whom to expect there.</summary>
/// <param name="EndPoint">The peer port's address.</param>
/// <param name="Expected">The node the caller means to reach; empty on a static peer's first contact (the id is learnt from its manifest).</param>
/// <param name="Pin">SHA-256 of the certificate the expected node's stored manifest names; null when there is none to pin (first contact, refresh).</param>
public sealed record PeerDial(IPEndPoint EndPoint, NodeId Expected = default, byte[]? Pin = null);

/// <summary>
/// Dials peers: a TLS 1.3 connection presenting this node's certificate, the listener's certificate
/// pinned to the hash the expected node's manifest names (or, with no pin, recorded to be proven by
/// Hello), then Hello — whose reply must carry a valid manifest of the node meant, naming the
/// certificate the connection saw. Only then is the channel handed out. One gRPC channel per dial:
/// no reconnection is hidden in it; the caller's back-off is the only one.
/// </summary>
public sealed class PeerDialer(LocalManifest local, TimeProvider time, ILoggerFactory loggers)
{
    /// <summary>How long the TCP connect and the TLS handshake may take together.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Dials <paramref name="dial"/> and says Hello.</summary>
    /// <exception cref="PeerDialException">The peer could not be reached, or did not prove to be the node meant; the message says which.</exception>
    public async Task<PeerChannel> DialAsync(PeerDial dial, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dial);
        var ours = local.Current ?? throw new PeerDialException(LinkProblem.NotReady, "this node has no manifest yet (its listener is not up)");
        byte[]? observed = null;
        var channel = OpenChannel(local.Certificate, dial, hash => observed = hash, loggers);
        try
        {
            var client = new PeerService.PeerServiceClient(channel);
            HelloReply reply;
            var saidAt = time.GetUtcNow();
            var said = time.GetTimestamp();
            try
            {
                reply = await client.HelloAsync(new HelloRequest
                {
                    Manifest = ByteString.CopyFrom(ours.Envelope),
                    ExpectedNodeId = dial.Expected.IsEmpty ? "" : dial.Expected.ToString(),
                    ProtocolVersions = { PeerLinkService.ProtocolVersion },
                    SentAt = saidAt.ToUnixTimeMilliseconds(),
                    Instance = PeerLinkService.Instance,
                    Rotations = { local.Rotations.Select(ByteString.CopyFrom) },
                }, deadline: time.GetUtcNow().UtcDateTime + ConnectTimeout + TimeSpan.FromSeconds(5), cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException ex)
            {
                throw Failed(ex, dial, observed);
            }

            // The peer stamped its reply somewhere within the round trip: its middle is the best guess, off by half of it at most.
            TimeSpan? skew = reply.SentAt == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(reply.SentAt) - (saidAt + (time.GetElapsedTime(said) / 2));
            var check = PeerManifests.Verify(reply.Manifest.Span, time);
            if (!check.IsValid)
            {
                var clocks = skew is { } off && off.Duration() >= Clocks.NoticeableSkew
                    ? $" (the peer's clock is {Clocks.Describe(off)} this node's)"
                    : "";
                throw new PeerDialException(LinkProblem.BadManifest, $"{dial.EndPoint} answered with a manifest that does not hold: {check.Detail}{clocks}");
            }

            IReadOnlyList<(RotationCheck Check, ByteString Statement)> rotations = [];
            if (!dial.Expected.IsEmpty && check.NodeId != dial.Expected)
            {
                // The node meant may have rotated its key: then its statements lead from the id expected to the one it names now.
                if (!PeerRotations.TryRead(reply.Rotations, check.NodeId, out var chain, out var problem) || !chain.Any(c => c.Check.OldId == dial.Expected))
                {
                    throw new PeerDialException(LinkProblem.OtherNode, $"{dial.EndPoint} is node {check.NodeId}, not {dial.Expected} (another node answers at that address" +
                        (problem is null ? ")" : $"; its rotation statements do not hold: {problem})"));
                }

                rotations = chain;
            }

            if (observed is null || !check.Manifest!.TlsCertificateSha256.Span.SequenceEqual(observed))
            {
                throw new PeerDialException(LinkProblem.CertificateMismatch,
                    $"{dial.EndPoint} presented certificate sha256 {Hex(observed)}, but the manifest of {check.NodeId} names {Hex(check.Manifest!.TlsCertificateSha256.ToByteArray())}");
            }

            return new PeerChannel(channel, client, check, reply.Manifest.Memory, observed, reply.Standing, rotations) { ClockSkew = skew };
        }
        catch
        {
            channel.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A gRPC channel to <paramref name="dial"/>'s peer port, presenting <paramref name="certificate"/>
    /// and accepting the listener's certificate when it is one a peer may present and, with a pin,
    /// has that hash; <paramref name="observe"/> hears the hash it presented. Nothing is sent until
    /// the first call; the caller says Hello and checks the reply (<see cref="DialAsync"/> does both).
    /// </summary>
    /// <param name="certificate">This node's certificate, presented.</param>
    /// <param name="dial">Where, and the pin when there is one.</param>
    /// <param name="observe">Hears the hash of every certificate the listener presents.</param>
    /// <param name="loggers">gRPC's loggers, or none.</param>
    /// <param name="connect">Opens the TCP stream to the peer port (a plain connect when null; a benchmark counts bytes on its own).</param>
    public static GrpcChannel OpenChannel(PeerCertificate certificate, PeerDial dial, Action<byte[]> observe, ILoggerFactory? loggers = null,
        Func<IPEndPoint, CancellationToken, ValueTask<Stream>>? connect = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(dial);
        ArgumentNullException.ThrowIfNull(observe);
        var pin = new PinBox { Hash = dial.Pin };
        var handler = new SocketsHttpHandler
        {
            UseProxy = false, // a proxy setting in the environment must never route LAN peer traffic
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectTimeout = ConnectTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            KeepAlivePingDelay = TimeSpan.FromSeconds(30),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(15),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
            EnableMultipleHttp2Connections = false,
            ConnectCallback = (_, token) => (connect ?? ConnectAsync)(dial.EndPoint, token),
            SslOptions = PeerTls.ClientOptions(certificate, hash =>
            {
                observe(hash);
                // Unpinned, the first certificate seen becomes the pin: should the handler open another
                // connection under this channel (a reset, a redial), only that certificate is accepted,
                // the one Hello proved; never a second one nobody checked.
                var pinned = Interlocked.CompareExchange(ref pin.Hash, hash, null) ?? hash;
                return hash.AsSpan().SequenceEqual(pinned);
            }),
        };
        return GrpcChannel.ForAddress(new Uri($"https://sovereign-peer:{dial.EndPoint.Port}"), new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            MaxReceiveMessageSize = PeerLimits.MaxReplyBytes,
            MaxSendMessageSize = PeerLimits.MaxRequestBytes,
            LoggerFactory = loggers,
        });
    }

    // The certificate hash a channel accepts: the caller's pin, or the first one shown.
    private sealed class PinBox
    {
        public byte[]? Hash;
    }

    private static async ValueTask<Stream> ConnectAsync(IPEndPoint endPoint, CancellationToken token)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint, token).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static PeerDialException Failed(RpcException ex, PeerDial dial, byte[]? observed)
    {
        var inner = ex.Status.DebugException;
        var failure = ex.StatusCode switch
        {
            // Our own TLS check refused the listener's certificate: the call never left.
            _ when observed is not null && dial.Pin is not null && !observed.AsSpan().SequenceEqual(dial.Pin) => LinkProblem.CertificateMismatch,
            // A TLS failure of either side's making; or the listener showed its certificate, then closed: it refused ours.
            StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal when inner is not null &&
                (Find<System.Security.Authentication.AuthenticationException>(inner) is not null || (observed is not null && Find<SocketException>(inner) is null))
                => LinkProblem.TlsFailed,
            StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal when inner is not null => LinkProblem.Unreachable,
            _ => LinkProblem.HelloRefused,
        };
        var detail = failure switch
        {
            LinkProblem.CertificateMismatch => $"{dial.EndPoint} presented certificate sha256 {Hex(observed)}, not the {Hex(dial.Pin)} its manifest names: " +
                "another node at that address, or its certificate changed",
            LinkProblem.Unreachable => $"{dial.EndPoint}: {Reason(inner) ?? ex.Status.Detail}",
            LinkProblem.TlsFailed when Find<System.Security.Authentication.AuthenticationException>(inner) is null =>
                $"{dial.EndPoint} closed the connection after TLS began ({Reason(inner) ?? ex.Status.Detail}): it refuses this node's certificate " +
                "(it holds an older manifest of this node?), or its listener is full",
            LinkProblem.TlsFailed => $"{dial.EndPoint}: {Reason(inner)}",
            _ => $"{dial.EndPoint} refused Hello: {ex.Status.StatusCode}: {ex.Status.Detail}",
        };
        return new PeerDialException(failure, detail, ex);
    }

    private static string? Reason(Exception? inner)
    {
        for (var e = inner; e is not null; e = e.InnerException)
        {
            if (e is SocketException socket)
            {
                return socket.SocketErrorCode switch
                {
                    SocketError.ConnectionRefused => "nothing listens there (connection refused)",
                    SocketError.TimedOut => "no answer (a firewall, or the host is down)",
                    SocketError.HostUnreachable or SocketError.NetworkUnreachable => "no route to it",
                    _ => socket.Message,
                };
            }

            if (e is System.Security.Authentication.AuthenticationException tls)
            {
                return $"TLS failed: {tls.Message}";
            }
        }

        return inner?.Message;
    }

    private static T? Find<T>(Exception? inner) where T : Exception
    {
        for (var e = inner; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }

    private static string Hex(byte[]? hash) => hash is null ? "(none)" : Convert.ToHexStringLower(hash);
}


/// <summary>A dial failed; the message says what was found.</summary>
public sealed class PeerDialException : Exception
{
    /// <summary>A failure.</summary>
    public PeerDialException(LinkProblem failure, string message, Exception? inner = null) : base(message, inner) => Failure = failure;

    /// <summary>Why.</summary>
    public LinkProblem Failure { get; }
}

/// <summary>A verified connection to a peer: Hello has proven who it is. Dispose to close it.</summary>
public sealed class PeerChannel(GrpcChannel channel, PeerService.PeerServiceClient client, ManifestCheck verified, ReadOnlyMemory<byte> envelope,
    byte[] certificateSha256, Standing standing, IReadOnlyList<(RotationCheck Check, ByteString Statement)>? rotations = null) : IDisposable
{
    /// <summary>
    /// When the peer answered under another id than the one dialled: its verified rotation statements,
    /// oldest first, which lead from the id dialled to <see cref="Peer"/>. Empty otherwise.
    /// </summary>
    public IReadOnlyList<(RotationCheck Check, ByteString Statement)> Rotations { get; } = rotations ?? [];

    /// <summary>The peer's node id, proven.</summary>
    public NodeId Peer { get; } = verified.NodeId;

    /// <summary>Its verified manifest.</summary>
    public Node.Protocol.Packets.PeerManifest Manifest { get; } = verified.Manifest!;

    /// <summary>The manifest as checked (to offer to the <see cref="ManifestBook"/>).</summary>
    public ManifestCheck Verified { get; } = verified;

    /// <summary>The manifest's envelope bytes.</summary>
    public ReadOnlyMemory<byte> Envelope { get; } = envelope;

    /// <summary>SHA-256 of the certificate it presented.</summary>
    public byte[] CertificateSha256 { get; } = certificateSha256;

    /// <summary>What it says our tier is there (diagnosis only).</summary>
    public Standing Standing { get; } = standing;

    /// <summary>How far the peer's clock is ahead of this node's (behind when negative), as its Hello reply showed; null when it did not say.</summary>
    public TimeSpan? ClockSkew { get; init; }

    /// <summary>The protocol's client on this connection.</summary>
    public PeerService.PeerServiceClient Client { get; } = client;

    /// <inheritdoc />
    public void Dispose() => channel.Dispose();
}
