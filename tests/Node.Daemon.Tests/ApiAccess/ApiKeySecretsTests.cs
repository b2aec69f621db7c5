using System.Security.Cryptography;
using System.Text;
using Node.Daemon.Api.Access;

namespace Node.Daemon.Tests.ApiAccess;

public sealed class ApiKeySecretsTests
{
    [Fact]
    public void A_secret_reads_snk_then_the_id_then_43_characters_of_base64url()
    {
        var id = ApiKeySecrets.NewId();
        var secret = ApiKeySecrets.NewSecret(id);

        Assert.Matches("^k[a-z2-7]{10}$", id);
        Assert.Matches($"^snk_{id}_[A-Za-z0-9_-]{{43}}$", secret);
        Assert.Equal(ApiKeySecrets.SecretLength, secret.Length);
        Assert.Equal(32, Convert.FromBase64String(secret[16..].Replace('-', '+').Replace('_', '/') + "=").Length);
    }

    [Fact]
    public void Ids_and_secrets_do_not_repeat()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => ApiKeySecrets.NewId()).ToHashSet();
        var secrets = Enumerable.Range(0, 1000).Select(_ => ApiKeySecrets.NewSecret("kaaaaaaaaaa")).ToHashSet();

        Assert.Equal(1000, ids.Count);
        Assert.Equal(1000, secrets.Count);
    }

    [Fact]
    public void The_id_is_read_back_out_of_a_secret()
    {
        var id = ApiKeySecrets.NewId();

        Assert.True(ApiKeySecrets.TryReadId(ApiKeySecrets.NewSecret(id), out var read));
        Assert.Equal(id, read);
    }

    public static TheoryData<string> Malformed()
    {
        var good = ApiKeySecrets.NewSecret("kabcdefgh23");
        return new TheoryData<string>
        {
            "",
            "snk_",
            good[..^1],
            good + "A",
            "SNK" + good[3..],
            "snk-" + good[4..],
            good[..4] + "x" + good[5..],          // id must start with k
            good[..5] + "1" + good[6..],          // 1 is not base32
            good[..5] + "A" + good[6..],          // ids are lowercase
            good[..15] + "-" + good[16..],        // the separator
            good[..^1] + "=",                     // padding
            good[..^2] + " " + good[^1..],        // whitespace
            good[..^1] + "!",
        };
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_secrets_are_recognised_as_such(string secret)
    {
        Assert.False(ApiKeySecrets.TryReadId(secret, out var id));
        Assert.Null(id);
    }

    [Fact]
    public void The_stored_hash_is_the_sha256_of_the_secret_and_not_the_secret()
    {
        var secret = ApiKeySecrets.NewSecret(ApiKeySecrets.NewId());

        var hash = ApiKeySecrets.Hash(secret);

        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(secret)), hash);
        Assert.DoesNotContain(secret[16..], Encoding.Latin1.GetString(hash), StringComparison.Ordinal);
    }

    [Fact]
    public void Only_the_very_secret_matches_its_hash()
    {
        var secret = ApiKeySecrets.NewSecret(ApiKeySecrets.NewId());
        var hash = ApiKeySecrets.Hash(secret);
        var oneCharacterOff = secret[..^1] + (secret[^1] == 'A' ? 'B' : 'A');

        Assert.True(ApiKeySecrets.Matches(secret, hash));
        Assert.False(ApiKeySecrets.Matches(oneCharacterOff, hash));
        Assert.False(ApiKeySecrets.Matches(secret, hash.AsSpan(0, 31)));
        Assert.False(ApiKeySecrets.Matches(secret, []));
    }
}
