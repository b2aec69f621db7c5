using System.Globalization;
using System.Text;

namespace Node.Federation.Diagnostics;

/// <summary>
/// Text someone else chose — a peer's error detail, a packet's topic, a request path, a configured
/// name — made fit for a log line or a message this node writes: one line, bounded, nothing that
/// could forge a line or reorder what a terminal shows.
/// </summary>
public static class RemoteText
{
    /// <summary>What stands in for a character that may not be shown.</summary>
    public const char Replacement = '?';

    /// <summary>
    /// <paramref name="text"/> cut to <paramref name="maxChars"/> (then "…" after it; never between
    /// the halves of a surrogate pair), with control characters (a newline would start a forged
    /// line) and format characters (bidirectional overrides, zero-width ones) replaced by
    /// <see cref="Replacement"/>. Null reads as empty. Never throws on any string.
    /// </summary>
    public static string Printable(string? text, int maxChars)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxChars, 1);
        text ??= "";
        var cut = text.Length > maxChars;
        var length = cut && char.IsHighSurrogate(text[maxChars - 1]) ? maxChars - 1 : Math.Min(text.Length, maxChars);
        var printable = new StringBuilder(length + 1);
        for (var i = 0; i < length; i++)
        {
            var c = text[i];
            if (char.IsSurrogate(c))
            {
                // A lone half of a pair is no character at all.
                var paired = char.IsHighSurrogate(c) ? i + 1 < length && char.IsLowSurrogate(text[i + 1]) : i > 0 && char.IsHighSurrogate(text[i - 1]);
                printable.Append(paired ? c : Replacement);
                continue;
            }

            printable.Append(char.IsControl(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format ? Replacement : c);
        }

        return cut ? printable.Append('…').ToString() : printable.ToString();
    }
}
