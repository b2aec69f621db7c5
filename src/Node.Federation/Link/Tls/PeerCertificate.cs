using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Node.Federation.Identity;

namespace Node.Federation.Link.Tls;

/// <summary>
/// The node's transport identity on the peer link: a self-signed ECDSA P-256 certificate (.NET's
/// X.509 has no Ed25519) whose SHA-256 the node's signed manifest names, so the identity key vouches
/// for it. Kept beside <c>identity.key</c> as <c>peer-tls.key</c> (PKCS#8 PEM, mode 0600) and
/// <c>peer-tls.crt</c> (PEM); made on the first start, and again (with a warning, and a new
/// manifest) when one of the pair is missing or they do not belong together. It never expires:
/// expiry lives in the signed manifest, so a LAN without a time server has one clock-dependent
/// check, not two. Nobody builds a chain to it; peers pin its hash.
/// </summary>
public sealed class PeerCertificate : IDisposable
{
    /// <summary>The key file's name in the state directory.</summary>
    public const string KeyFileName = "peer-tls.key";

    /// <summary>The certificate file's name in the state directory.</summary>
    public const string CertificateFileName = "peer-tls.crt";

    /// <summary>Largest certificate a peer may present, DER: 4 KiB.</summary>
    public const int MaxDerBytes = 4096;

    /// <summary>The OID of the NIST P-256 curve, the only one accepted.</summary>
    public const string P256Oid = "1.2.840.10045.3.1.7";

    /// <summary>The reason <see cref="LoadOrCreate"/> gives when there was no pair at all.</summary>
    public const string FirstStart = "first start";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Readable = OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    // RFC 5280 §4.1.2.5: "no well-defined expiration date".
    private static readonly DateTimeOffset NoExpiry = new(9999, 12, 31, 23, 59, 59, TimeSpan.Zero);

    private PeerCertificate(X509Certificate2 certificate)
    {
        Certificate = certificate;
        Sha256 = SHA256.HashData(certificate.RawDataMemory.Span);
        Context = SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true);
    }

    /// <summary>The certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>SHA-256 of the certificate's DER bytes: what the manifest names and peers pin.</summary>
    public byte[] Sha256 { get; }

    /// <summary>The certificate as SslStream presents it (no chain: it is self-signed).</summary>
    public SslStreamCertificateContext Context { get; }

    /// <summary>The hash as lowercase hex, as people compare it.</summary>
    public string Fingerprint => Convert.ToHexStringLower(Sha256);

    /// <summary>A new certificate held in memory only (tests, tools).</summary>
    public static PeerCertificate CreateEphemeral(TimeProvider time) => new(Create(time).Certificate);

    /// <summary>
    /// Loads the pair from <paramref name="directory"/>, making a new one (key mode 0600) when a
    /// file is missing, unreadable as a certificate or key, or the two do not belong together.
    /// </summary>
    /// <returns>The certificate, and why a new one was made (null when the stored one was used).</returns>
    /// <exception cref="IdentityException">
    /// The key file may be read by others, a file is not a regular file, or the pair cannot be written.
    /// </exception>
    public static (PeerCertificate Certificate, string? Renewed) LoadOrCreate(string directory, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(time);
        var keyPath = Path.Combine(directory, KeyFileName);
        var certificatePath = Path.Combine(directory, CertificateFileName);
        foreach (var file in (ReadOnlySpan<string>)[keyPath, keyPath + ".new", certificatePath, certificatePath + ".new"])
        {
            if (!Node.Storage.FileKinds.IsRegularOrMissing(file, out var problem))
            {
                throw new IdentityException($"{problem}: the peer link's certificate and key must be regular files. Nothing was changed; move it away " +
                    "and the node makes a new certificate (peers learn it from the new manifest).");
            }
        }

        string? renewed;
        if (!File.Exists(keyPath) || !File.Exists(certificatePath))
        {
            renewed = File.Exists(keyPath) || File.Exists(certificatePath)
                ? $"{(File.Exists(keyPath) ? CertificateFileName : KeyFileName)} is missing"
                : null;
        }
        else
        {
            RefuseReadableKey(keyPath);
            try
            {
                var loaded = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
                if (IsAcceptable(loaded, out var why))
                {
                    return (new PeerCertificate(loaded), null);
                }

                loaded.Dispose();
                renewed = $"the stored certificate is not usable ({why})";
            }
            catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                renewed = $"the stored certificate and key cannot be used together ({ex.Message})";
            }
        }

        var (certificate, keyPem) = Create(time);
        try
        {
            // The key first: a certificate on disk without its key would be refused at the next start anyway.
            Write(keyPath, keyPem, OwnerOnly);
            Write(certificatePath, certificate.ExportCertificatePem(), Readable);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            certificate.Dispose();
            throw new IdentityException($"Cannot write the peer link's certificate in {directory}: {ex.Message}", ex);
        }

        return (new PeerCertificate(certificate), renewed ?? FirstStart);
    }

    /// <summary>
    /// Whether <paramref name="certificate"/> is one a peer may present: ECDSA on P-256, at most
    /// <see cref="MaxDerBytes"/>. Nothing else about it matters (no chain, no dates, no names):
    /// the peer's signed manifest must name its hash. Never throws.
    /// </summary>
    public static bool IsAcceptable(X509Certificate2? certificate, out string? why)
    {
        why = null;
        if (certificate is null)
        {
            why = "no certificate";
            return false;
        }

        if (certificate.RawDataMemory.Length > MaxDerBytes)
        {
            why = $"the certificate is {certificate.RawDataMemory.Length} bytes; the limit is {MaxDerBytes}";
            return false;
        }

        try
        {
            using var key = certificate.GetECDsaPublicKey();
            if (key?.ExportParameters(false).Curve.Oid.Value != P256Oid)
            {
                why = "the certificate's key is not ECDSA P-256";
                return false;
            }
        }
        catch (CryptographicException ex)
        {
            why = $"the certificate's key cannot be read: {ex.Message}";
            return false;
        }

        return true;
    }

    /// <inheritdoc />
    public void Dispose() => Certificate.Dispose();

    /// <summary>The fingerprint, never the key.</summary>
    public override string ToString() => Fingerprint;

    private static (X509Certificate2 Certificate, string KeyPem) Create(TimeProvider time)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=sovereign-node peer link", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(X509BasicConstraintsExtension.CreateForEndEntity(critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        // Server and client authentication: each node is both.
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            new OidCollection { new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2") }, critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        // Valid from a day back: a peer whose clock is behind still parses it as current, though nobody checks.
        using var self = request.CreateSelfSigned(time.GetUtcNow().AddDays(-1), NoExpiry);
        var keyPem = key.ExportPkcs8PrivateKeyPem();
        return (X509Certificate2.CreateFromPem(self.ExportCertificatePem(), keyPem), keyPem);
    }

    private static void RefuseReadableKey(string path)
    {
        var mode = File.GetUnixFileMode(path);
        if ((mode & ~(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute)) != 0)
        {
            throw new IdentityException(
                $"The peer link's key {path} may be read by others (mode {Convert.ToString((int)mode, 8)}); it must be 0600. " +
                $"If nobody else had access, run: chmod 600 {path}; otherwise move {KeyFileName} and {CertificateFileName} away and the node makes a new pair.");
        }
    }

    private static void Write(string path, string pem, UnixFileMode mode) =>
        Node.Storage.Durable.WriteFile(path, System.Text.Encoding.ASCII.GetBytes(pem), mode);
}
