using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace Node.Federation.Identity;

/// <summary>
/// A node's id: the first 16 bytes of the SHA-256 of its Ed25519 public key, written as 26
/// base32 characters (RFC 4648 alphabet) with a Luhn mod 32 check character after each half,
/// in four groups of seven: <c>MW3AM46-W5WEEXI-4A4FQRC-3AVNUAV</c>. Short enough to read aloud;
/// a mistyped character, or most swaps of two neighbours, fail the check rather than name
/// another node.
/// </summary>
/// <remarks>
/// Ids are ordered by their 16 digest bytes, compared as unsigned big-endian numbers (the order
/// of the base32 data characters by alphabet index; the check characters play no part); the empty
/// id comes first. The peer link uses this order to decide which side of a pair dials.
/// </remarks>
public readonly struct NodeId : IEquatable<NodeId>, IComparable<NodeId>
{
    /// <summary>Bytes of the key digest the id keeps.</summary>
    public const int DigestLength = 16;

    /// <summary>Length of the written form without dashes.</summary>
    public const int CharLength = 28;

    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private const int DataChars = 26; // ceil(128 / 5)
    private const int HalfChars = 13;
    private readonly string? _text;

    private NodeId(string text) => _text = text;

    /// <summary>The id of the node whose Ed25519 public key is <paramref name="publicKey"/>.</summary>
    public static NodeId FromPublicKey(ReadOnlySpan<byte> publicKey)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(publicKey, digest);
        var data = Base32(digest[..DigestLength]);
        var first = data[..HalfChars];
        var second = data[HalfChars..];
        return new NodeId(string.Concat(first, LuhnChar(first).ToString(), second, LuhnChar(second).ToString()));
    }

    /// <summary>
    /// Reads a node id as a person may type it: any case, with or without dashes or spaces.
    /// Never throws.
    /// </summary>
    /// <param name="text">The id as given.</param>
    /// <param name="id">The id, when it is one.</param>
    /// <param name="error">What is wrong with it, when it is not.</param>
    public static bool TryParse(string? text, out NodeId id, [NotNullWhen(false)] out string? error)
    {
        id = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "a node id is 28 characters (4 groups of 7); was empty";
            return false;
        }

        var compact = new StringBuilder(CharLength);
        foreach (var c in text)
        {
            if (c is '-' or ' ')
            {
                continue;
            }

            var upper = char.ToUpperInvariant(c);
            if (!Alphabet.Contains(upper, StringComparison.Ordinal))
            {
                error = $"'{c}' cannot be part of a node id (letters A-Z and digits 2-7 only)";
                return false;
            }

            compact.Append(upper);
            if (compact.Length > CharLength)
            {
                break;
            }
        }

        if (compact.Length != CharLength)
        {
            error = $"a node id is {CharLength} characters (4 groups of 7); this one has {(compact.Length > CharLength ? "more" : compact.Length.ToString(System.Globalization.CultureInfo.InvariantCulture))}";
            return false;
        }

        var value = compact.ToString();
        if (LuhnChar(value.AsSpan(0, HalfChars)) != value[HalfChars] || LuhnChar(value.AsSpan(HalfChars + 1, HalfChars)) != value[CharLength - 1])
        {
            error = "the node id's check characters do not match: a character was mistyped or two were swapped";
            return false;
        }

        // 26 characters carry 130 bits for 128: the last data character's low 2 bits are zero.
        if ((Alphabet.IndexOf(value[CharLength - 2], StringComparison.Ordinal) & 0b11) != 0)
        {
            error = "the node id's last group is not one a key can produce: a character was mistyped";
            return false;
        }

        id = new NodeId(value);
        error = null;
        return true;
    }

    /// <summary>Reads a node id; throws <see cref="FormatException"/> naming the problem.</summary>
    public static NodeId Parse(string text) => TryParse(text, out var id, out var error) ? id : throw new FormatException($"Not a node id: {error}.");

    /// <summary>Whether this is the default (no id).</summary>
    public bool IsEmpty => _text is null;

    /// <summary>Whether <paramref name="publicKey"/> is this node's key.</summary>
    public bool Matches(ReadOnlySpan<byte> publicKey) => !IsEmpty && Equals(FromPublicKey(publicKey));

    /// <summary>The written form, in four dash-separated groups of seven.</summary>
    public override string ToString() => _text is null ? "" : string.Join('-', _text[..7], _text[7..14], _text[14..21], _text[21..]);

    /// <summary>The written form without dashes.</summary>
    public string Compact => _text ?? "";

    /// <inheritdoc />
    public bool Equals(NodeId other) => string.Equals(_text, other._text, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is NodeId other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _text is null ? 0 : StringComparer.Ordinal.GetHashCode(_text);

    /// <summary>Equality.</summary>
    public static bool operator ==(NodeId left, NodeId right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(NodeId left, NodeId right) => !left.Equals(right);

    /// <summary>
    /// Compares the ids' 16 digest bytes as unsigned big-endian numbers; the empty id is less than
    /// every other. Consistent with <see cref="Equals(NodeId)"/>.
    /// </summary>
    public int CompareTo(NodeId other)
    {
        if (_text is null || other._text is null)
        {
            return (_text is null ? 0 : 1) - (other._text is null ? 0 : 1);
        }

        // Base32 keeps bit order: comparing the data characters by alphabet index, most significant
        // first, compares the bits they carry (the last character's two padding bits are zero).
        for (var i = 0; i < CharLength; i++)
        {
            if (i is HalfChars or CharLength - 1)
            {
                continue;
            }

            var order = AlphabetIndex(_text[i]).CompareTo(AlphabetIndex(other._text[i]));
            if (order != 0)
            {
                return order;
            }
        }

        return 0;
    }

    /// <summary>Whether <paramref name="left"/> orders before <paramref name="right"/>.</summary>
    public static bool operator <(NodeId left, NodeId right) => left.CompareTo(right) < 0;

    /// <summary>Whether <paramref name="left"/> orders after <paramref name="right"/>.</summary>
    public static bool operator >(NodeId left, NodeId right) => left.CompareTo(right) > 0;

    /// <summary>Whether <paramref name="left"/> orders before or equals <paramref name="right"/>.</summary>
    public static bool operator <=(NodeId left, NodeId right) => left.CompareTo(right) <= 0;

    /// <summary>Whether <paramref name="left"/> orders after or equals <paramref name="right"/>.</summary>
    public static bool operator >=(NodeId left, NodeId right) => left.CompareTo(right) >= 0;

    // 'A'-'Z' are 0-25 and '2'-'7' are 26-31 (ordinal order would put the digits first).
    private static int AlphabetIndex(char c) => c >= 'A' ? c - 'A' : c - '2' + 26;

    private static string Base32(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[(bytes.Length * 8 + 4) / 5];
        int buffer = 0, bits = 0, at = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                chars[at++] = Alphabet[(buffer >> (bits - 5)) & 31];
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            chars[at] = Alphabet[(buffer << (5 - bits)) & 31];
        }

        return new string(chars);
    }

    // Luhn mod N over the base32 alphabet (N = 32), doubling from the rightmost character (the
    // one beside the check character), as Luhn's algorithm does: so a swap of the last data
    // character with the check character is caught too.
    private static char LuhnChar(ReadOnlySpan<char> text)
    {
        const int n = 32;
        int factor = 2, sum = 0;
        for (var i = text.Length - 1; i >= 0; i--)
        {
            var addend = factor * Alphabet.IndexOf(text[i], StringComparison.Ordinal);
            factor = factor == 2 ? 1 : 2;
            sum += (addend / n) + (addend % n);
        }

        return Alphabet[(n - (sum % n)) % n];
    }
}
