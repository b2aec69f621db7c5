using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Node.Federation.Link.Server;

namespace Node.Federation.Link.Tls;

/// <summary>
/// TLS on the peer link: 1.3 only, HTTP/2 only, a certificate required from both sides, and nothing
/// that reaches for the network. SslStream always builds a chain before it asks us; the policy here
/// makes that offline (no revocation, no download of issuers a stranger's certificate names, no
/// system trust store) and its verdict is ignored: a peer is accepted by the hash its signed
/// manifest names, checked per call (the listener) or at the handshake (the dialler, which knows
/// whom it meant to reach).
/// </summary>
public static class PeerTls
{
    /// <summary>The chain policy of every peer handshake: offline, and trusting nothing by itself.</summary>
    public static X509ChainPolicy OfflinePolicy() => new()
    {
        RevocationMode = X509RevocationMode.NoCheck,      // a new X509ChainPolicy defaults to Online
        DisableCertificateDownloads = true,               // no fetch of the issuers a stranger's certificate points at
        TrustMode = X509ChainTrustMode.CustomRootTrust,   // an empty custom store: the system's is never consulted
    };

    /// <summary>
    /// The listener's options for one connection: it presents <paramref name="certificate"/>, requires
    /// the client's, and records what the client presented on <paramref name="connection"/>.
    /// </summary>
    public static SslServerAuthenticationOptions ServerOptions(PeerCertificate certificate, PeerConnection connection)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(connection);
        return new SslServerAuthenticationOptions
        {
            ServerCertificateContext = certificate.Context,
            EnabledSslProtocols = SslProtocols.Tls13,
            ClientCertificateRequired = true,   // HTTP/2 forbids asking for it later (RFC 8740)
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            CertificateChainPolicy = OfflinePolicy(),
            AllowTlsResume = false,             // every connection shows its certificate again
            AllowRenegotiation = false,
            ApplicationProtocols = [SslApplicationProtocol.Http2],
            RemoteCertificateValidationCallback = (_, presented, _, _) => connection.RecordCertificate(presented as X509Certificate2 ?? Copy(presented)),
        };
    }

    /// <summary>
    /// The dialler's options: it presents <paramref name="certificate"/> and accepts the listener's
    /// certificate only when <paramref name="accept"/> says so (the pin of the manifest of the node it
    /// meant to reach, or, on first contact, any acceptable certificate, whose hash Hello must then prove).
    /// </summary>
    public static SslClientAuthenticationOptions ClientOptions(PeerCertificate certificate, Func<byte[], bool> accept)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(accept);
        return new SslClientAuthenticationOptions
        {
            TargetHost = "sovereign-peer",
            ClientCertificateContext = certificate.Context,
            EnabledSslProtocols = SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            CertificateChainPolicy = OfflinePolicy(),
            AllowTlsResume = false,
            ApplicationProtocols = [SslApplicationProtocol.Http2],
            RemoteCertificateValidationCallback = (_, presented, _, _) =>
            {
                using var copy = presented is null ? null : Copy(presented);
                return PeerCertificate.IsAcceptable(copy, out _) && accept(SHA256.HashData(copy!.RawDataMemory.Span));
            },
        };
    }

    private static X509Certificate2? Copy(X509Certificate? presented) =>
        presented is null ? null : X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
}
