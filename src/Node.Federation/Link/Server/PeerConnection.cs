using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Node.Federation.Link.Tls;

namespace Node.Federation.Link.Server;

/// <summary>
/// One connection to the peer port, from accept to close: where it came from, the certificate the
/// client proved it holds (its SHA-256), and why it was refused, if it was.
/// </summary>
public sealed class PeerConnection(EndPoint? remote, ConnectionSource source)
{
    private byte[]? _certificate;

    /// <summary>Where it came from.</summary>
    public EndPoint? Remote { get; } = remote;

    /// <summary>What it counts against in the connection caps.</summary>
    public ConnectionSource Source { get; } = source;

    /// <summary>SHA-256 of the client's certificate, once the handshake accepted one; null before.</summary>
    public byte[]? CertificateSha256 => Volatile.Read(ref _certificate);

    /// <summary>Why the client's certificate was refused at the handshake; null when it was not.</summary>
    public PeerRefusal? CertificateRefusal { get; private set; }

    /// <summary>Why, in words, for the log.</summary>
    public string? CertificateProblem { get; private set; }

    /// <summary>Whether the TLS handshake finished.</summary>
    public bool HandshakeCompleted { get; set; }

    /// <summary>
    /// The TLS handshake's question: is <paramref name="presented"/> a certificate a peer may present?
    /// Records its hash when it is, why not when it is not. Never throws.
    /// </summary>
    public bool RecordCertificate(X509Certificate2? presented)
    {
        if (presented is null)
        {
            CertificateRefusal = PeerRefusal.NoCertificate;
            CertificateProblem = "the client presented no certificate; the peer port requires one (its hash must be in the client's signed manifest)";
            return false;
        }

        if (!PeerCertificate.IsAcceptable(presented, out var why))
        {
            CertificateRefusal = PeerRefusal.CertificateRejected;
            CertificateProblem = why;
            return false;
        }

        Volatile.Write(ref _certificate, SHA256.HashData(presented.RawDataMemory.Span));
        return true;
    }
}
