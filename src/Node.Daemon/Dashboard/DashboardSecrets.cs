using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Node.Daemon.Dashboard;

/// <summary>
/// The dashboard's secrets (login links, session cookies, CSRF and metrics tokens): 256 random bits
/// as 43 characters of base64url. Kept as their SHA-256 and compared in constant time; never logged.
/// </summary>
internal static class DashboardSecrets
{
    /// <summary>Random bytes in a secret.</summary>
    public const int Bytes = 32;

    /// <summary>The length of a secret's text (base64url of 32 bytes, no padding).</summary>
    public const int Length = 43;

    /// <summary>A new secret.</summary>
    public static string New() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(Bytes));

    /// <summary>The SHA-256 of <paramref name="secret"/>'s UTF-8 bytes.</summary>
    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>Whether <paramref name="given"/> could be a secret at all (its length; anything else is not even hashed).</summary>
    public static bool IsWellFormed(string? given) => given is { Length: Length };

    /// <summary>Whether <paramref name="given"/> is the secret whose hash is <paramref name="expectedHash"/>, in time that does not depend on where they differ.</summary>
    public static bool Matches(string? given, ReadOnlySpan<byte> expectedHash) =>
        IsWellFormed(given) & CryptographicOperations.FixedTimeEquals(Hash(given ?? ""), expectedHash);
}
