using System.Net;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Node.Federation.Identity;
using Node.Federation.Link;
using Node.Federation.Link.Client;
using Node.Federation.Link.Tls;

namespace Node.Daemon.Tests.Support;

/// <summary>
/// The other side of a peer link, in the test process: an identity and a certificate of its own,
/// its signed manifest, and the node's real dialler. Disposing removes its files.
/// </summary>
public sealed class TestPeer : IDisposable
{
    private readonly TempDirectory _dir = new();

    /// <param name="name">The name its manifest gives.</param>
    /// <param name="certificate">
    /// The certificate (with its private key, ECDSA P-256) it presents, stored and loaded as a node
    /// loads its own; a new self-signed one when null.
    /// </param>
    public TestPeer(string name = "test-peer", X509Certificate2? certificate = null)
    {
        Identity = IdentityHost.LoadOrCreate(_dir.Path, NullLogger<IdentityHost>.Instance);
        try
        {
            Certificate = certificate is null ? PeerCertificate.CreateEphemeral(TimeProvider.System) : Load(certificate);
        }
        catch
        {
            Identity.Dispose();
            _dir.Dispose();
            throw;
        }

        Local = new LocalManifest(Identity, Certificate, TimeProvider.System, name, "0.0.0-test");
        Local.Refresh(port: 9); // discard: it only dials in these tests
        Dialer = new PeerDialer(Local, TimeProvider.System, NullLoggerFactory.Instance);
    }

    public IdentityHost Identity { get; }

    public NodeId Id => Identity.Identity.Id;

    public PeerCertificate Certificate { get; }

    public LocalManifest Local { get; }

    public PeerDialer Dialer { get; }

    /// <summary>Its current manifest envelope.</summary>
    public byte[] Manifest => Local.Current!.Envelope;

    public Task<PeerChannel> DialAsync(int port, NodeId expected = default, byte[]? pin = null) =>
        Dialer.DialAsync(new PeerDial(new IPEndPoint(IPAddress.Loopback, port), expected, pin), CancellationToken.None);

    /// <summary>A channel that presents this peer's certificate and says nothing by itself (no Hello).</summary>
    public GrpcChannel RawChannel(int port) =>
        PeerDialer.OpenChannel(Certificate, new PeerDial(new IPEndPoint(IPAddress.Loopback, port)), _ => { });

    /// <summary>A channel like <see cref="RawChannel"/> with no send limit of its own: to see what the listener does with an oversized message.</summary>
    public GrpcChannel UnlimitedChannel(int port) => GrpcChannel.ForAddress(new Uri($"https://sovereign-peer:{port}"), new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler
        {
            SslOptions = PeerTls.ClientOptions(Certificate, _ => true),
            UseProxy = false,
            ConnectCallback = async (_, token) =>
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), token);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            },
        },
        DisposeHttpClient = true,
        MaxSendMessageSize = null,
        LoggerFactory = NullLoggerFactory.Instance,
    });

    private PeerCertificate Load(X509Certificate2 certificate)
    {
        using var key = certificate.GetECDsaPrivateKey() ?? throw new ArgumentException("An ECDSA certificate with its private key is needed.", nameof(certificate));
        File.WriteAllText(_dir.Combine(PeerCertificate.CertificateFileName), certificate.ExportCertificatePem());
        File.WriteAllText(_dir.Combine(PeerCertificate.KeyFileName), key.ExportPkcs8PrivateKeyPem());
        File.SetUnixFileMode(_dir.Combine(PeerCertificate.KeyFileName), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var (loaded, renewed) = PeerCertificate.LoadOrCreate(_dir.Path, TimeProvider.System);
        Assert.True(renewed is null, $"the given certificate was not usable: {renewed}");
        return loaded;
    }

    public void Dispose()
    {
        Identity.Dispose();
        Certificate.Dispose();
        _dir.Dispose();
    }
}
