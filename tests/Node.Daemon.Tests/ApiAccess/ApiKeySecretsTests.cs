using System.Security.Cryptography;
using System.Text;
using Node.Daemon.Api.Access;
using Node.Daemon.Tests.Support;

namespace Node.Daemon.Tests.ApiAccess;

public sealed class ApiKeySecretsTests
{
    [Fact]
    public void A_secret_reads_snk_then_the_id_then_43_characters_of_base64url()
    {
        var id = ApiKeySecrets.NewId();
        var secret = ApiKeySecrets.NewSecret(id);

        Assert.Matches("^k[a-z2-7]{10}$", id);
        SecretAssert.HasForm(secret, id);
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

    // By name, not by value: a theory's arguments are shown in test output, and these are secrets.
    private static readonly Dictionary<string, Func<string, string>> Spoilers = new()
    {
        ["empty"] = _ => "",
        ["prefix only"] = _ => "snk_",
        ["one character short"] = good => good[..^1],
        ["one character long"] = good => good + "A",
        ["prefix in capitals"] = good => "SNK" + good[3..],
        ["prefix with a dash"] = good => "snk-" + good[4..],
        ["id not starting with k"] = good => good[..4] + "x" + good[5..],
        ["1 in the id (not base32)"] = good => good[..5] + "1" + good[6..],
        ["capital in the id"] = good => good[..5] + "A" + good[6..],
        ["dash as the separator"] = good => good[..15] + "-" + good[16..],
        ["padding"] = good => good[..^1] + "=",
        ["whitespace"] = good => good[..^2] + " " + good[^1..],
        ["not base64url"] = good => good[..^1] + "!",
    };

    public static TheoryData<string> Malformed() => [.. Spoilers.Keys];

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_secrets_are_recognised_as_such(string spoiled)
    {
        var secret = Spoilers[spoiled](ApiKeySecrets.NewSecret("kabcdefgh23"));

        Assert.False(ApiKeySecrets.TryReadId(secret, out var id));
        Assert.Null(id);
    }

    [Fact]
    public void The_stored_hash_is_the_sha256_of_the_secret_and_not_the_secret()
    {
        var secret = ApiKeySecrets.NewSecret(ApiKeySecrets.NewId());

        var hash = ApiKeySecrets.Hash(secret);

        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(secret)), hash);
        SecretAssert.NotIn(secret, Encoding.Latin1.GetString(hash), "its hash");
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
