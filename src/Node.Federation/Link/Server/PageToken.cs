using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Node.Federation.Link.Server;

/// <summary>
/// A Query page token: where a page of a topic's slots ended, sealed (AES-GCM under a key made per
/// process start) over the topic and the last key scanned. A peer can neither read it — the last
/// key scanned may be of a slot outside its view — nor make one up to list keys after a prefix of
/// its choosing; a token from another topic, or from before a restart, is refused.
/// </summary>
internal static class PageToken
{
    private const int NonceBytes = 12, TagBytes = 16, MaxTokenChars = 1024;
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    public static string Write(string topic, string lastKey)
    {
        var plain = Encoding.UTF8.GetBytes(lastKey);
        var sealedToken = new byte[NonceBytes + TagBytes + plain.Length];
        var nonce = sealedToken.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(Key, TagBytes);
        aes.Encrypt(nonce, plain, sealedToken.AsSpan(NonceBytes + TagBytes), sealedToken.AsSpan(NonceBytes, TagBytes), Encoding.UTF8.GetBytes(topic));
        return Base64Url.EncodeToString(sealedToken);
    }

    /// <summary>The key to continue after ("" for an empty token), or null when <paramref name="token"/> is not one this node gave for <paramref name="topic"/>. Never throws.</summary>
    public static string? Read(string topic, string token)
    {
        if (token.Length == 0)
        {
            return "";
        }

        if (token.Length > MaxTokenChars || !Base64Url.IsValid(token))
        {
            return null;
        }

        try
        {
            var sealedToken = Base64Url.DecodeFromChars(token);
            if (sealedToken.Length < NonceBytes + TagBytes)
            {
                return null;
            }

            var plain = new byte[sealedToken.Length - NonceBytes - TagBytes];
            using var aes = new AesGcm(Key, TagBytes);
            aes.Decrypt(sealedToken.AsSpan(0, NonceBytes), sealedToken.AsSpan(NonceBytes + TagBytes), sealedToken.AsSpan(NonceBytes, TagBytes), plain,
                Encoding.UTF8.GetBytes(topic));
            return Encoding.UTF8.GetString(plain);
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException or ArgumentException)
        {
            return null;
        }
    }
}
