using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Node.Federation.Identity;
using Node.Federation.Link.Tls;

namespace Node.Federation.Tests.Link;

/// <summary>The peer link's certificate on disk: made once, 0600, kept, made anew in pairs, refused when others may read its key.</summary>
public sealed class PeerCertificateTests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public void The_first_start_makes_a_p256_pair_with_the_key_0600_and_later_starts_load_it()
    {
        using var dir = new TempDirectory();

        var (made, why) = PeerCertificate.LoadOrCreate(dir.Path, TimeProvider.System);
        using (made)
        {
            Assert.Equal(PeerCertificate.FirstStart, why);
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(dir.Combine(PeerCertificate.KeyFileName)));
            Assert.True(PeerCertificate.IsAcceptable(made.Certificate, out _));
            Assert.Equal(SHA256.HashData(made.Certificate.RawData), made.Sha256);
            Assert.True(made.Certificate.HasPrivateKey);
            Assert.DoesNotContain("PRIVATE", File.ReadAllText(dir.Combine(PeerCertificate.CertificateFileName)), StringComparison.Ordinal);
        }

        var (loaded, again) = PeerCertificate.LoadOrCreate(dir.Path, TimeProvider.System);
        using (loaded)
        {
            Assert.Null(again);
            Assert.Equal(made.Sha256, loaded.Sha256);
        }
    }

    [Fact]
    public void A_key_others_may_read_refuses_start_and_says_what_to_do()
    {
        using var dir = new TempDirectory();
        PeerCertificate.LoadOrCreate(dir.Path, TimeProvider.System).Certificate.Dispose();
        File.SetUnixFileMode(dir.Combine(PeerCertificate.KeyFileName), OwnerOnly | UnixFileMode.GroupRead);

        var error = Assert.Throws<IdentityException>(() => PeerCertificate.LoadOrCreate(dir.Path, TimeProvider.System));

        Assert.Contains("may be read by others (mode 640)", error.Message, StringComparison.Ordinal);
        Assert.Contains("chmod 600", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PeerCertificate.KeyFileName, "peer-tls.key is missing")]
    [InlineData(PeerCertificate.CertificateFileName, "peer-tls.crt is missing")]
    public void One_file_of_the_pair_missing_makes_both_anew(string removed, string reason)
    {
        using var dir = new TempDirectory();
        var (first, _) = PeerCertificate.LoadOrCreate(dir.Path, TimeProvider.System);
        first.Dispose();
        File.Delete(dir.Combine(removed));

        var (renewed, why) = PeerCertificate.LoadOrCreate(dir.Path, TimeProvider.System);
        using (renewed)
        {
            Assert.Equal(reason, why);
            Assert.NotEqual(first.Sha256, renewed.Sha256);
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(dir.Combine(PeerCertificate.KeyFileName)));
        }
    }

    [Fact]
    public void A_pair_that_does_not_belong_together_is_made_anew()
    {
        using var one = new TempDirectory();
        using var other = new TempDirectory();
        PeerCertificate.LoadOrCreate(one.Path, TimeProvider.System).Certificate.Dispose();
        PeerCertificate.LoadOrCreate(other.Path, TimeProvider.System).Certificate.Dispose();
        File.Copy(other.Combine(PeerCertificate.CertificateFileName), one.Combine(PeerCertificate.CertificateFileName), overwrite: true);

        var (renewed, why) = PeerCertificate.LoadOrCreate(one.Path, TimeProvider.System);
        using (renewed)
        {
            Assert.StartsWith("the stored certificate and key cannot be used together", why, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Only_small_p256_certificates_are_acceptable()
    {
        using var rsa = RSA.Create(2048);
        using var rsaCertificate = new CertificateRequest("CN=rsa", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var p384Certificate = new CertificateRequest("CN=p384", p384, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        using var ours = PeerCertificate.CreateEphemeral(TimeProvider.System);

        Assert.False(PeerCertificate.IsAcceptable(null, out var none));
        Assert.Equal("no certificate", none);
        Assert.False(PeerCertificate.IsAcceptable(rsaCertificate, out var why));
        Assert.Equal("the certificate's key is not ECDSA P-256", why);
        Assert.False(PeerCertificate.IsAcceptable(p384Certificate, out _));
        Assert.True(PeerCertificate.IsAcceptable(ours.Certificate, out _));
    }
}
