using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace Node.Daemon.Api.Access;

/// <summary>
/// API key ids and secrets: how they are made, read back and checked.
/// </summary>
/// <remarks>
/// <para>
/// A key id is <c>k</c> and 10 lowercase base32 characters (<c>kq7m2xw4ab5</c>): short, safe to
/// log and show, and not secret. A secret is <c>snk_&lt;id&gt;_&lt;43 base64url characters&gt;</c>:
/// the 32 random bytes that are the actual secret, prefixed with the id so the node can find the
/// key without trying each one (and so a leaked secret is recognisable by its <c>snk_</c> prefix).
/// </para>
/// <para>
/// The node stores only the SHA-256 of the secret. A slow password hash (Argon2, bcrypt, PBKDF2)
/// exists to make guessing a low-entropy human password expensive; a secret of 256 random bits
/// cannot be guessed at any speed, so a slow hash would add nothing but tens of milliseconds and
/// megabytes of memory to every TCP call — a lever for denial of service. Comparison is in
/// constant time, so the stored hash does not leak through response timing.
/// </para>
/// </remarks>
internal static class ApiKeySecrets
{
    /// <summary>What every secret starts with.</summary>
    public const string Prefix = "snk_";

    /// <summary>The length of a key id.</summary>
    public const int IdLength = 11;

    /// <summary>The length of a secret: prefix, id, underscore, 43 characters of base64url.</summary>
    public const int SecretLength = 4 + IdLength + 1 + 43;

    /// <summary>Random bytes in a secret.</summary>
    public const int SecretBytes = 32;

    /// <summary>The length of the stored hash (SHA-256).</summary>
    public const int HashBytes = 32;

    private const string Base32 = "abcdefghijklmnopqrstuvwxyz234567";
    private static readonly SearchValues<char> Base32Chars = SearchValues.Create(Base32);

    /// <summary>A new random key id.</summary>
    public static string NewId()
    {
        Span<char> id = stackalloc char[IdLength];
        id[0] = 'k';
        for (var i = 1; i < IdLength; i++)
        {
            id[i] = Base32[RandomNumberGenerator.GetInt32(Base32.Length)];
        }

        return new string(id);
    }

    /// <summary>A new secret for the key <paramref name="id"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="id"/> is not a key id.</exception>
    public static string NewSecret(string id)
    {
        if (!IsId(id))
        {
            throw new ArgumentException("Not an API key id.", nameof(id));
        }

        Span<byte> random = stackalloc byte[SecretBytes];
        RandomNumberGenerator.Fill(random);
        var secret = Prefix + id + "_" + Base64Url.EncodeToString(random);
        CryptographicOperations.ZeroMemory(random);
        return secret;
    }

    /// <summary>Whether <paramref name="value"/> is a key id: <c>k</c> and 10 characters of a–z, 2–7.</summary>
    public static bool IsId([NotNullWhen(true)] string? value) =>
        value is { Length: IdLength } && value[0] == 'k' && value.AsSpan(1).IndexOfAnyExcept(Base32Chars) < 0;

    /// <summary>
    /// Reads the key id out of <paramref name="secret"/>, checking its form (not whether it is valid).
    /// </summary>
    /// <returns>False when <paramref name="secret"/> is not of the form <c>snk_&lt;id&gt;_&lt;43 base64url&gt;</c>.</returns>
    public static bool TryReadId(ReadOnlySpan<char> secret, [NotNullWhen(true)] out string? id)
    {
        id = null;
        // Fixed positions: base64url itself may hold '_' and '-'.
        if (secret.Length != SecretLength || !secret.StartsWith(Prefix, StringComparison.Ordinal) || secret[Prefix.Length + IdLength] != '_')
        {
            return false;
        }

        var idPart = secret.Slice(Prefix.Length, IdLength);
        var random = secret[(Prefix.Length + IdLength + 1)..];
        if (idPart[0] != 'k' || idPart[1..].IndexOfAnyExcept(Base32Chars) >= 0 || !Base64Url.IsValid(random, out var decoded) || decoded != SecretBytes)
        {
            return false;
        }

        id = idPart.ToString();
        return true;
    }

    /// <summary>The hash the node stores for <paramref name="secret"/>: SHA-256 of its UTF-8 bytes.</summary>
    public static byte[] Hash(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return SHA256.HashData(Encoding.UTF8.GetBytes(secret));
    }

    /// <summary>Whether <paramref name="secret"/> hashes to <paramref name="storedHash"/>, compared in constant time.</summary>
    public static bool Matches(string secret, ReadOnlySpan<byte> storedHash)
    {
        var hash = Hash(secret);
        return storedHash.Length == HashBytes && CryptographicOperations.FixedTimeEquals(hash, storedHash);
    }
}
