using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Node.Federation.Identity;

namespace Node.Daemon.Api;

/// <summary>Reads the arguments every service shares (ids, node ids, paging), refusing bad ones with the field named.</summary>
internal static class ApiArguments
{
    /// <summary>Rows a page holds when the client does not say.</summary>
    public const int DefaultPageSize = 100;

    /// <summary>Most rows a page holds.</summary>
    public const int MaxPageSize = 1000;

    /// <summary>A packet id: 64 hex characters (32 bytes).</summary>
    public static byte[] PacketId(string field, string text)
    {
        if (text.Length != 64 || !text.All(char.IsAsciiHexDigit))
        {
            throw ApiErrors.InvalidArgument(field, $"a packet id is 64 hex characters; got {Describe(text)}");
        }

        return Convert.FromHexString(text);
    }

    /// <summary>A node id with its check characters.</summary>
    public static NodeId NodeId(string field, string text) =>
        Federation.Identity.NodeId.TryParse(text, out var id, out var error) ? id : throw ApiErrors.InvalidArgument(field, error);

    /// <summary>A required piece of text, at most <paramref name="maxBytes"/> UTF-8 bytes, no control characters.</summary>
    public static string Text(string field, string text, int maxBytes, bool required = true)
    {
        if (required && string.IsNullOrWhiteSpace(text))
        {
            throw ApiErrors.InvalidArgument(field, "must not be empty");
        }

        if (Encoding.UTF8.GetByteCount(text) > maxBytes)
        {
            throw ApiErrors.InvalidArgument(field, $"is longer than {maxBytes} bytes");
        }

        if (text.Any(char.IsControl))
        {
            throw ApiErrors.InvalidArgument(field, "must not contain control characters");
        }

        return text;
    }

    /// <summary>The page size asked for: 0 is the default, over the maximum is refused.</summary>
    public static int PageSize(string field, int size) => size switch
    {
        0 => DefaultPageSize,
        < 0 or > MaxPageSize => throw ApiErrors.InvalidArgument(field, $"must be from 1 to {MaxPageSize} (0 for {DefaultPageSize}); got {size}"),
        _ => size,
    };

    /// <summary>An opaque page token: the position after which the next page starts.</summary>
    public static string Token(string position) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes("v1:" + position));

    /// <summary>Reads a page token made by <see cref="Token"/>; empty for the first page.</summary>
    public static string? Position(string field, string token)
    {
        if (token.Length == 0)
        {
            return null;
        }

        try
        {
            var text = token.Length <= 512 ? Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token)) : "";
            if (text.StartsWith("v1:", StringComparison.Ordinal))
            {
                return text[3..];
            }
        }
        catch (FormatException)
        {
        }

        throw ApiErrors.InvalidArgument(field, "is not a page token this node gave out");
    }

    /// <summary>A position made of a number.</summary>
    public static long NumberPosition(string field, string token) =>
        Position(field, token) is not { } text ? 0
        : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value
        : throw ApiErrors.InvalidArgument(field, "is not a page token this node gave out");

    private static string Describe(string text) =>
        text.Length == 0 ? "nothing" : $"{text.Length} characters" + (text.All(char.IsAsciiHexDigit) ? "" : " that are not all hex");
}
