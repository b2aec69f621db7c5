using System.Text.RegularExpressions;

namespace Node.Daemon.Tests.Support;

/// <summary>
/// Assertions about API key secrets that never print one: a failing xUnit assertion shows the
/// values it compared, and a secret must not reach test output either.
/// </summary>
public static partial class SecretAssert
{
    /// <summary>Fails unless <paramref name="secret"/> reads snk_&lt;id&gt;_&lt;43 base64url characters&gt;.</summary>
    public static void HasForm(string secret, string id) =>
        Assert.True(secret.Length == 59 && secret.StartsWith($"snk_{id}_", StringComparison.Ordinal) && RandomPart().IsMatch(secret[16..]),
            $"The secret of key {id} is not snk_{id}_ and 43 base64url characters.");

    /// <summary>Fails if <paramref name="text"/> holds <paramref name="secret"/>'s random part, or 20 characters of it.</summary>
    public static void NotIn(string secret, string text, string where) =>
        Assert.False(text.Contains(secret[16..36], StringComparison.Ordinal) || text.Contains(secret[^20..], StringComparison.Ordinal),
            $"A secret (of key {secret[4..15]}) is in {where}.");

    [GeneratedRegex("^[A-Za-z0-9_-]{43}$")]
    private static partial Regex RandomPart();
}
