using System.Globalization;
using System.Text;

namespace Node.Cli.Output;

/// <summary>How values read in text output.</summary>
internal static class Display
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>A Unix-millisecond time as UTC (<c>2026-11-24 13:21:36Z</c>); "-" for 0 (never).</summary>
    public static string Time(long unixMilliseconds) =>
        unixMilliseconds <= 0
            ? "-"
            : DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A short duration as given on the command line: <c>500ms</c>, <c>2s</c>, <c>1.5s</c>.</summary>
    public static string Duration(TimeSpan duration) =>
        duration < TimeSpan.FromSeconds(1)
            ? string.Create(CultureInfo.InvariantCulture, $"{duration.TotalMilliseconds:0}ms")
            : string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.###}s");

    /// <summary>A bar's time (Unix seconds): its date when it is midnight UTC (<c>2000-03-15</c>), else the UTC date and time.</summary>
    public static string BarTime(long unixSeconds)
    {
        var time = DateTimeOffset.FromUnixTimeSeconds(unixSeconds).UtcDateTime;
        return time.TimeOfDay == TimeSpan.Zero
            ? time.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : time.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }

    /// <summary>A direction: <c>+1</c>, <c>-1</c> or <c>0</c>.</summary>
    public static string Direction(int direction) => direction switch
    {
        > 0 => "+1",
        < 0 => "-1",
        _ => "0",
    };

    /// <summary>The first <paramref name="length"/> characters of <paramref name="value"/>.</summary>
    public static string Prefix(string value, int length) => value.Length <= length ? value : value[..length];

    /// <summary>A byte count people read: 512 B, 2.0 KiB, 3.4 MiB.</summary>
    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.0} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):0.0} GiB"),
    };

    /// <summary>Whether content of <paramref name="mediaType"/> is text: <c>text/*</c> or <c>application/json</c>.</summary>
    public static bool IsText(string mediaType)
    {
        var type = mediaType.AsSpan();
        var semicolon = type.IndexOf(';');
        type = (semicolon < 0 ? type : type[..semicolon]).Trim();
        return type.StartsWith("text/", StringComparison.OrdinalIgnoreCase) || type.Equals("application/json", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The content as a string when its media type is text and it is valid UTF-8.</summary>
    public static bool TryText(string mediaType, ReadOnlySpan<byte> content, out string text)
    {
        text = "";
        if (!IsText(mediaType))
        {
            return false;
        }

        try
        {
            text = StrictUtf8.GetString(content);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    /// <summary>
    /// <paramref name="value"/> on one line and safe for a terminal: every control character (C0,
    /// DEL, C1 — a newline and a tab too) shows as <c>\x</c> and its two hex digits, ESC as <c>\x1b</c>.
    /// </summary>
    public static string OneLine(string value) => Escape(value, keepLines: false);

    /// <summary>
    /// Text that may run over lines (content), safe for a terminal: as <see cref="OneLine"/>, but
    /// newlines and tabs are kept.
    /// </summary>
    public static string Lines(string value) => Escape(value, keepLines: true);

    // What a peer or a user wrote must not drive the terminal it is shown on (move the cursor,
    // recolour, retitle the window, rewrite a line with CR or backspaces): it is shown, not obeyed.
    private static string Escape(string value, bool keepLines)
    {
        var first = 0;
        while (first < value.Length && !MustEscape(value[first], keepLines))
        {
            first++;
        }

        if (first == value.Length)
        {
            return value;
        }

        var text = new StringBuilder(value.Length + 16).Append(value, 0, first);
        foreach (var c in value.AsSpan(first))
        {
            if (MustEscape(c, keepLines))
            {
                text.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }

    private static bool MustEscape(char c, bool keepLines) => char.IsControl(c) && !(keepLines && c is ('\n' or '\t'));
}
