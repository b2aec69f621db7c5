using System.Buffers.Text;
using System.Text;

namespace Node.Federation.Link.Server;

/// <summary>A Query page token: the last key of the page, base64url. Opaque to peers; checked, never trusted.</summary>
internal static class PageToken
{
    public static string Write(string lastKey) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(lastKey));

    /// <summary>The key to continue after ("" for an empty token), or null when <paramref name="token"/> is not one this node gives.</summary>
    public static string? Read(string token)
    {
        if (token.Length == 0)
        {
            return "";
        }

        if (token.Length > 512 || !Base64Url.IsValid(token))
        {
            return null;
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Base64Url.DecodeFromChars(token));
        }
        catch (Exception ex) when (ex is FormatException or DecoderFallbackException or ArgumentException)
        {
            return null;
        }
    }
}
