using System.Security.Cryptography;
using System.Text;
using Node.Federation.Identity;
using Node.Federation.Tests.Support;

namespace Node.Federation.Tests.Identity;

public sealed class IdentityFileTests : IDisposable
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly TempDirectory _state = new();

    private string KeyPath => _state.Combine(NodeIdentity.FileName);

    public void Dispose() => _state.Dispose();

    [Fact]
    public void The_first_start_creates_a_PKCS8_PEM_key_file_with_mode_0600()
    {
        var (identity, created) = NodeIdentity.LoadOrCreate(_state.Path);
        using (identity)
        {
            Assert.True(created);
            Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(KeyPath));
            // RFC 7468 allows either line ending; NSec writes CRLF.
            var pem = File.ReadAllText(KeyPath).ReplaceLineEndings("\n");
            Assert.Matches("^-----BEGIN PRIVATE KEY-----\n[A-Za-z0-9+/=]{64}\n-----END PRIVATE KEY-----\n?$", pem);
            Assert.Equal([NodeIdentity.FileName], Directory.GetFiles(_state.Path).Select(Path.GetFileName));
        }
    }

    [Fact]
    public void The_file_holds_the_identity_an_independent_reader_sees()
    {
        var (identity, _) = NodeIdentity.LoadOrCreate(_state.Path);
        using (identity)
        {
            // .NET has no Ed25519 type, but it reads PKCS#8: the key is OID 1.3.101.112 with a 32-byte seed.
            var text = File.ReadAllText(KeyPath);
            var fields = PemEncoding.Find(text);
            Assert.Equal("PRIVATE KEY", text[fields.Label]);
            var der = Convert.FromBase64String(text[fields.Base64Data]);
            Assert.Equal(48, der.Length);
            Assert.Equal("302e020100300506032b657004220420", Convert.ToHexStringLower(der.AsSpan(0, 16)));
            using var fromSeed = NodeIdentity.FromSeed(der.AsSpan(16));
            Assert.Equal(identity.Id, fromSeed.Id);
        }
    }

    [Fact]
    public void Reloading_gives_the_same_identity_and_key()
    {
        var (first, _) = NodeIdentity.LoadOrCreate(_state.Path);
        using (first)
        {
            var (second, created) = NodeIdentity.LoadOrCreate(_state.Path);
            using (second)
            {
                Assert.False(created);
                Assert.Equal(first.Id, second.Id);
                Assert.Equal(first.PublicKey, second.PublicKey);
                Assert.True(NodeIdentity.Verify(first.PublicKey, "hello"u8, second.Sign("hello"u8)));
                Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(KeyPath));
            }
        }
    }

    [Fact]
    public void A_key_file_only_its_owner_can_read_is_accepted()
    {
        using (NodeIdentity.LoadOrCreate(_state.Path).Identity)
        {
        }

        File.SetUnixFileMode(KeyPath, UnixFileMode.UserRead);
        using var identity = NodeIdentity.LoadOrCreate(_state.Path).Identity;

        Assert.False(identity.Id.IsEmpty);
    }

    [Theory]
    [InlineData("644")]
    [InlineData("640")]
    [InlineData("604")]
    [InlineData("660")]
    [InlineData("606")]
    [InlineData("601")]
    [InlineData("610")]
    [InlineData("777")]
    public void A_key_file_others_may_read_is_refused_naming_the_path_and_the_fix(string octalMode)
    {
        var pem = CreateKeyFile();
        var mode = (UnixFileMode)Convert.ToInt32(octalMode, 8);
        File.SetUnixFileMode(KeyPath, mode);

        var ex = Assert.Throws<IdentityException>(() => NodeIdentity.LoadOrCreate(_state.Path));

        Assert.Equal(
            $"The identity key {KeyPath} may be read by others (mode {octalMode}); it must be 0600. " +
            $"If nobody else had access, run: chmod 600 {KeyPath}; otherwise the key may be compromised: move it away and let the node make a new identity.",
            ex.Message);
        AssertNoKeyMaterial(ex, pem);
        Assert.Equal(mode, File.GetUnixFileMode(KeyPath)); // refused, not "fixed" behind the operator's back
        Assert.Equal(pem, File.ReadAllText(KeyPath));
    }

    public static TheoryData<string, byte[]> NotAnEd25519Key { get; } = new()
    {
        { "empty", [] },
        { "text", "not a key at all\n"u8.ToArray() },
        { "binary", [0x00, 0xFF, 0x30, 0x82, 0x01, 0x00, 0xDE, 0xAD] },
        { "a PEM with an empty body", "-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n"u8.ToArray() },
        { "a PEM whose body is not base64", "-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n"u8.ToArray() },
        { "an RSA key", Encoding.ASCII.GetBytes(RsaPem()) },
        { "an EC P-256 key", Encoding.ASCII.GetBytes(ECDsa.Create(ECCurve.NamedCurves.nistP256).ExportPkcs8PrivateKeyPem()) },
    };

    [Theory]
    [MemberData(nameof(NotAnEd25519Key))]
    public void A_key_file_that_is_not_an_Ed25519_private_key_is_refused_naming_the_path(string what, byte[] content)
    {
        _ = what;
        WriteOwnerOnly(KeyPath, content);

        var ex = Assert.Throws<IdentityException>(() => NodeIdentity.LoadOrCreate(_state.Path));

        Assert.Equal(
            $"The identity key {KeyPath} is not an Ed25519 private key (PKCS#8 PEM). Restore it from a backup, or move it away to make a new identity (peers will see a new node).",
            ex.Message);
        Assert.Equal(content, File.ReadAllBytes(KeyPath)); // never overwritten
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("trailing garbage")]
    [InlineData("header changed")]
    public void A_damaged_key_file_is_refused_without_its_key_material_in_the_message(string damage)
    {
        var pem = CreateKeyFile();
        var damaged = damage switch
        {
            "truncated" => pem[..(pem.Length - 40)],
            "trailing garbage" => pem.Replace("-----END PRIVATE KEY-----", "AAAA\n-----END PRIVATE KEY-----", StringComparison.Ordinal),
            _ => pem.Replace("PRIVATE KEY", "ED25519 KEY", StringComparison.Ordinal),
        };
        WriteOwnerOnly(KeyPath, Encoding.ASCII.GetBytes(damaged));

        var ex = Assert.Throws<IdentityException>(() => NodeIdentity.LoadOrCreate(_state.Path));

        Assert.Contains(KeyPath, ex.Message, StringComparison.Ordinal);
        AssertNoKeyMaterial(ex, pem);
    }

    [Fact]
    public void A_leftover_new_file_from_an_interrupted_start_is_replaced_and_made_owner_only()
    {
        var leftover = KeyPath + ".new";
        File.WriteAllText(leftover, "half-written");
        File.SetUnixFileMode(leftover, (UnixFileMode)Convert.ToInt32("644", 8));

        var (identity, created) = NodeIdentity.LoadOrCreate(_state.Path);
        using (identity)
        {
            Assert.True(created);
            Assert.False(File.Exists(leftover));
            Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(KeyPath));
            Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(KeyPath), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_state_directory_that_does_not_exist_is_reported_as_an_identity_error()
    {
        var missing = _state.Combine("missing");

        var ex = Record.Exception(() => NodeIdentity.LoadOrCreate(missing));

        var identityError = Assert.IsType<IdentityException>(ex);
        Assert.StartsWith($"Cannot create the identity key {Path.Combine(missing, NodeIdentity.FileName)}: ", identityError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_identity_prints_as_its_id_never_its_key()
    {
        var pem = CreateKeyFile();
        using var identity = NodeIdentity.LoadOrCreate(_state.Path).Identity;

        Assert.Equal(identity.Id.ToString(), identity.ToString());
        Assert.DoesNotContain(Body(pem), identity.ToString(), StringComparison.Ordinal);
    }

    private string CreateKeyFile()
    {
        using (NodeIdentity.LoadOrCreate(_state.Path).Identity)
        {
        }

        return File.ReadAllText(KeyPath);
    }

    private static void WriteOwnerOnly(string path, byte[] content)
    {
        using var file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = OwnerReadWrite,
        });
        file.Write(content);
    }

    private static string Body(string pem) => pem.ReplaceLineEndings("\n").Split('\n')[1];

    // Neither the base64 body nor any 8-byte run of the raw seed may appear anywhere in the exception chain.
    private static void AssertNoKeyMaterial(Exception ex, string pem)
    {
        var text = ex.ToString();
        var body = Body(pem);
        Assert.DoesNotContain(body, text, StringComparison.Ordinal);
        for (var i = 0; i + 8 <= body.Length; i += 4)
        {
            Assert.DoesNotContain(body.Substring(i, 8), text, StringComparison.Ordinal);
        }

        var seed = Convert.FromBase64String(body).AsSpan(16);
        Assert.DoesNotContain(Convert.ToHexString(seed), text, StringComparison.OrdinalIgnoreCase);
    }

    private static string RsaPem()
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportPkcs8PrivateKeyPem();
    }
}
